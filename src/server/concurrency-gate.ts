// At most `limit` operations in flight per key (a province) in this process; the next ones wait in
// line for up to `maxWaitMs`, and at most `maxQueued` of them, so that one province's load can hold
// only its share of the pooled connections and a burst is smoothed rather than refused at once.
// Small enough to own: p-limit and its kin have no per-key queues with a deadline.

/** Gives the slot back; calling it again does nothing. */
export type Release = () => void;

export interface ConcurrencyGate {
  /** A slot for `key`, or null when the line is full or the wait ran out (`patient`: waits longer, past a full line). */
  acquire(key: string, patient?: { maxWaitMs: number }): Promise<Release | null>;
  /** Operations in flight and waiting for `key` (tests, metrics). */
  load(key: string): { running: number; waiting: number };
}

interface Waiter {
  grant(release: Release): void;
  timer: NodeJS.Timeout;
}

export function createConcurrencyGate(options: { limit: number; maxWaitMs: number; maxQueued: number }): ConcurrencyGate {
  const lanes = new Map<string, { running: number; waiting: Waiter[] }>();

  const releaseFor = (key: string): Release => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const lane = lanes.get(key)!;
      const next = lane.waiting.shift();
      if (next) {
        // The slot passes straight to the next in line: `running` stays as it is.
        clearTimeout(next.timer);
        next.grant(releaseFor(key));
        return;
      }
      lane.running--;
      if (lane.running === 0) lanes.delete(key);
    };
  };

  return {
    acquire(key, patient) {
      let lane = lanes.get(key);
      if (!lane) lanes.set(key, (lane = { running: 0, waiting: [] }));
      if (lane.running < options.limit) {
        lane.running++;
        return Promise.resolve(releaseFor(key));
      }
      const maxWaitMs = patient?.maxWaitMs ?? options.maxWaitMs;
      if ((!patient && lane.waiting.length >= options.maxQueued) || maxWaitMs <= 0) return Promise.resolve(null);
      const waiting = lane.waiting;
      return new Promise((resolve) => {
        const waiter: Waiter = {
          grant: resolve,
          timer: setTimeout(() => {
            waiting.splice(waiting.indexOf(waiter), 1);
            resolve(null);
          }, maxWaitMs),
        };
        waiting.push(waiter);
      });
    },
    load(key) {
      const lane = lanes.get(key);
      return { running: lane?.running ?? 0, waiting: lane?.waiting.length ?? 0 };
    },
  };
}
