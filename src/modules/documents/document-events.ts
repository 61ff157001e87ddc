// Document events across server processes (kernel/event-hub.ts): an envelope sent, or its status
// changed, published in the transaction that did it. The recipient agency's officials follow what
// arrives; the issuer's officials follow the statuses of what they sent.
import type { Database } from '../../db/database';
import type { Db } from '../../db/tenant-scope';
import type { EnvelopeStatus } from '../../generated/prisma/enums';
import { publishEvent, startEventHub, type EventHub } from '../../kernel/event-hub';

export const DOCUMENT_EVENTS_CHANNEL = 'document_events';

export interface EnvelopeEvent {
  /** SENT and UPDATED are for the recipient; CHANGED (a status, an answer to an update) for the sender. */
  kind: 'SENT' | 'UPDATED' | 'CHANGED';
  envelopeId: string;
  senderTenantId: string;
  senderAgencyId: string;
  /** Null for a recipient outside the platform. */
  recipientTenantId: string | null;
  recipientAgencyId: string | null;
  status: EnvelopeStatus;
}

export type DocumentEventHub = EventHub<EnvelopeEvent>;

type EnvelopeRow = Omit<EnvelopeEvent, 'kind' | 'envelopeId'> & { id: string };

/** Queues the envelope's event for delivery when the transaction commits. */
export const publishEnvelopeEvent = (db: Db, kind: EnvelopeEvent['kind'], envelope: EnvelopeRow) =>
  publishEvent(db, DOCUMENT_EVENTS_CHANNEL, {
    kind,
    envelopeId: envelope.id,
    senderTenantId: envelope.senderTenantId,
    senderAgencyId: envelope.senderAgencyId,
    recipientTenantId: envelope.recipientTenantId,
    recipientAgencyId: envelope.recipientAgencyId,
    status: envelope.status,
  } satisfies EnvelopeEvent);

const parseEvent = (payload: unknown): EnvelopeEvent | null => {
  const event = payload as Partial<EnvelopeEvent> | null;
  return event && typeof event.envelopeId === 'string' && typeof event.senderTenantId === 'string' ? (event as EnvelopeEvent) : null;
};

export const startDocumentEventHub = (database: Database): Promise<DocumentEventHub> => startEventHub(database, DOCUMENT_EVENTS_CHANNEL, parseEvent);
