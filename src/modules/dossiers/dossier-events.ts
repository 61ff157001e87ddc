// Dossier events across server processes. A change publishes with pg_notify inside its own
// transaction, so PostgreSQL delivers it only if the change commits, and to every process that
// LISTENs. Each process keeps one listening connection and fans events out to its subscribers.
import type { Database, Listener } from '../../db/database';
import type { Db } from '../../db/tenant-scope';
import type { DossierStatus } from './lifecycle';

export const DOSSIER_EVENTS_CHANNEL = 'dossier_events';

export interface DossierEvent {
  kind: 'CREATED' | 'CHANGED';
  tenantId: string;
  dossierId: string;
  code: string;
  agencyId: string;
  assigneeId: string | null;
  status: DossierStatus;
}

/** Queues the event for delivery when the transaction commits. */
export async function publishDossierEvent(db: Db, event: DossierEvent): Promise<void> {
  await db.$executeRaw`SELECT pg_notify(${DOSSIER_EVENTS_CHANNEL}, ${JSON.stringify(event)})`;
}

export interface DossierEventHub {
  /** Events that pass `filter`, until the iterator is returned (the client unsubscribes). */
  subscribe(filter: (event: DossierEvent) => boolean): AsyncIterableIterator<DossierEvent>;
  /** Delivers an event to this process's subscribers (what the listener calls). */
  deliver(event: DossierEvent): void;
  close(): Promise<void>;
}

// A subscriber that cannot keep up loses its oldest events rather than the process's memory.
const MAX_QUEUED = 100;

export function createDossierEventHub(listener?: Listener): DossierEventHub {
  const subscribers = new Set<{ filter: (event: DossierEvent) => boolean; push: (event: DossierEvent) => void; end: () => void }>();

  return {
    subscribe(filter) {
      const queue: DossierEvent[] = [];
      let waiting: ((result: IteratorResult<DossierEvent>) => void) | null = null;
      let done = false;
      const subscriber = {
        filter,
        push(event: DossierEvent) {
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
      const iterator: AsyncIterableIterator<DossierEvent> = {
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

function parseEvent(payload: string): DossierEvent | null {
  try {
    const event = JSON.parse(payload) as DossierEvent;
    return typeof event.tenantId === 'string' && typeof event.dossierId === 'string' ? event : null;
  } catch {
    return null;
  }
}

/** Starts this process's listener and hub. */
export async function startDossierEventHub(database: Database): Promise<DossierEventHub> {
  let hub: DossierEventHub | null = null;
  const listener = await database.listen(DOSSIER_EVENTS_CHANNEL, (payload) => {
    const event = parseEvent(payload);
    if (event) hub?.deliver(event);
  });
  hub = createDossierEventHub(listener);
  return hub;
}
