// Dossier events across server processes (kernel/event-hub.ts): a move publishes in its own
// transaction; each process's hub fans the committed ones out to its subscribers.
import type { Database } from '../../db/database';
import type { Db } from '../../db/tenant-scope';
import { publishEvent, startEventHub, type EventHub } from '../../kernel/event-hub';
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

export type DossierEventHub = EventHub<DossierEvent>;

/** Queues the event for delivery when the transaction commits. */
export const publishDossierEvent = (db: Db, event: DossierEvent) => publishEvent(db, DOSSIER_EVENTS_CHANNEL, event);

const parseEvent = (payload: unknown): DossierEvent | null => {
  const event = payload as Partial<DossierEvent> | null;
  return event && typeof event.tenantId === 'string' && typeof event.dossierId === 'string' ? (event as DossierEvent) : null;
};

/** Starts this process's listener and hub. */
export const startDossierEventHub = (database: Database): Promise<DossierEventHub> => startEventHub(database, DOSSIER_EVENTS_CHANNEL, parseEvent);
