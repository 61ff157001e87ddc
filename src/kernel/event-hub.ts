// Events across server processes. A change publishes with pg_notify inside its own transaction, so
// PostgreSQL delivers it only if the change commits, and to every process that LISTENs on the
// channel. Each process keeps one listening connection per channel and fans events out to its
// subscribers (a module's subscription fields). Dossiers and documents publish this way.
import type { Database, Listener } from '../db/database';
import type { Db } from '../db/tenant-scope';

/** Queues the event for delivery on `channel` when the transaction commits. */
export async function publishEvent(db: Db, channel: string, event: object): Promise<void> {
  await db.$executeRaw`SELECT pg_notify(${channel}, ${JSON.stringify(event)})`;
}

export interface EventHub<Event> {
  /** Events that pass `filter`, until the iterator is returned (the client unsubscribes). */
  subscribe(filter: (event: Event) => boolean): AsyncIterableIterator<Event>;
  /** Delivers an event to this process's subscribers (what the listener calls). */
  deliver(event: Event): void;
  close(): Promise<void>;
}

// A subscriber that cannot keep up loses its oldest events rather than the process's memory.
const MAX_QUEUED = 100;

export function createEventHub<Event>(listener?: Listener): EventHub<Event> {
  const subscribers = new Set<{ filter: (event: Event) => boolean; push: (event: Event) => void; end: () => void }>();

  return {
    subscribe(filter) {
      const queue: Event[] = [];
      let waiting: ((result: IteratorResult<Event>) => void) | null = null;
      let done = false;
      const subscriber = {
        filter,
        push(event: Event) {
          if (waiting) {
            const resolve = waiting;
            waiting = null;
            resolve({ value: event, done: false });
          } else {
            queue.push(event);
            if (queue.length > MAX_QUEUED) queue.shift();
          }
        },
        end() {
          done = true;
          subscribers.delete(subscriber);
          waiting?.({ value: undefined, done: true });
          waiting = null;
        },
      };
      subscribers.add(subscriber);
      const iterator: AsyncIterableIterator<Event> = {
        next: () => {
          const queued = queue.shift();
          if (queued) return Promise.resolve({ value: queued, done: false });
          if (done) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve) => (waiting = resolve));
        },
        return: () => {
          subscriber.end();
          return Promise.resolve({ value: undefined, done: true });
        },
        [Symbol.asyncIterator]: () => iterator,
      };
      return iterator;
    },
    deliver(event) {
      for (const subscriber of subscribers) if (subscriber.filter(event)) subscriber.push(event);
    },
    async close() {
      for (const subscriber of [...subscribers]) subscriber.end();
      await listener?.close();
    },
  };
}

/** Starts this process's listener on `channel` and its hub; `parse` drops a payload that is not an event. */
export async function startEventHub<Event>(database: Database, channel: string, parse: (payload: unknown) => Event | null): Promise<EventHub<Event>> {
  let hub: EventHub<Event> | null = null;
  const listener = await database.listen(channel, (payload) => {
    let event: Event | null = null;
    try {
      event = parse(JSON.parse(payload));
    } catch {
      event = null;
    }
    if (event) hub?.deliver(event);
  });
  hub = createEventHub<Event>(listener);
  return hub;
}
