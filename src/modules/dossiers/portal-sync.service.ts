// Sync with the national public-service portal through an outbox. A status change writes its record
// in its own transaction; the worker sends records later, outside any request, so a portal outage
// never fails a clerk's work and a change that rolls back is never sent.
//
// Delivery: at least once, with the record id as the idempotency key, so the portal can tell a
// retry from a new change. A dossier's records go out in order: a newer one waits while an older
// one is pending or failed.
import type { Database } from '../../db/database';
import { enterAppScope, type Db } from '../../db/tenant-scope';
import type { PrismaClient, Prisma } from '../../generated/prisma/client';
import type { SyncState } from '../../generated/prisma/enums';
import type { Logger } from '../../logger';
import type { DossierAction, DossierStatus } from './lifecycle';
import { portalPayload } from './portal-payload';

export const PORTAL_SYNC_CHANNEL = 'portal_sync';

interface DossierForSync {
  id: string;
  tenantId: string;
  code: string;
  status: DossierStatus;
  fieldCode: string;
  applicantName: string;
  applicantIdNumber: string | null;
  applicantType: 'CITIZEN' | 'BUSINESS' | 'STATE_BODY' | 'OTHER';
  applicantPhone: string | null;
  applicantEmail: string | null;
  applicantAddress: string | null;
  summary: string;
  channel: 'IN_PERSON' | 'ONLINE' | 'POSTAL';
  receivedAt: Date | null;
  dueAt: Date | null;
  endedAt: Date | null;
  returnedAt: Date | null;
  procedure: { code: string; name: string; fieldName: string };
  agency: { code: string; name: string };
  assignee: { fullName: string } | null;
}

export interface SyncStep {
  action: DossierAction | null;
  actorName: string | null;
  at: Date;
  stepDueAt: Date | null;
  note: string | null;
}

/** Writes the outbox record of a change, in the change's transaction, and wakes the worker at commit. */
export async function recordPortalChange(db: Db, dossier: DossierForSync, step: SyncStep): Promise<void> {
  const payload = portalPayload(
    {
      code: dossier.code,
      procedureCode: dossier.procedure.code,
      procedureName: dossier.procedure.name,
      fieldCode: dossier.fieldCode,
      fieldName: dossier.procedure.fieldName,
      applicantName: dossier.applicantName,
      applicantIdNumber: dossier.applicantIdNumber,
      applicantType: dossier.applicantType,
      applicantPhone: dossier.applicantPhone,
      applicantEmail: dossier.applicantEmail,
      applicantAddress: dossier.applicantAddress,
      summary: dossier.summary,
      channel: dossier.channel,
      status: dossier.status,
      receivedAt: dossier.receivedAt,
      dueAt: dossier.dueAt,
      finishedAt: dossier.endedAt,
      returnedAt: dossier.returnedAt,
      agencyCode: dossier.agency.code,
      agencyName: dossier.agency.name,
      handlerName: dossier.assignee?.fullName ?? null,
    },
    {
      action: step.action ?? 'SUBMIT',
      actorName: step.actorName,
      actorTitle: null,
      at: step.at,
      stepStartedAt: step.at,
      stepDueAt: step.stepDueAt,
      note: step.note,
    },
  );
  await db.portalSyncRecord.create({
    data: { tenantId: dossier.tenantId, dossierId: dossier.id, dossierCode: dossier.code, payload: payload as unknown as Prisma.InputJsonValue },
  });
  await db.$executeRaw`SELECT pg_notify(${PORTAL_SYNC_CHANNEL}, ${dossier.tenantId})`;
}

// ---------------------------------------------------------------- the worker

export interface PortalSyncSettings {
  url: string;
  timeoutMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  pollMs: number;
  batchSize?: number;
  /** Serve only these provinces (a worker per group of provinces); default all. */
  tenantIds?: string[];
}

export type SendOutcome = { kind: 'acknowledged'; reply: string } | { kind: 'rejected'; reply: string } | { kind: 'retry'; error: string };

/** Pure: how a portal reply settles a record. 2xx acknowledged; 4xx rejected except 408/409/425/429, which, like 5xx, are worth a retry. */
export function outcomeOfReply(status: number, body: string): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'acknowledged', reply: body };
  if (status >= 400 && status < 500 && ![408, 409, 425, 429].includes(status)) return { kind: 'rejected', reply: `${status} ${body}` };
  return { kind: 'retry', error: `${status} ${body}` };
}

/** Pure: the wait before attempt `attempts + 1` (exponential, capped at an hour). */
export const retryDelayMs = (attempts: number, baseMs: number) => Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 3_600_000);

const clip = (text: string) => (text.length > 2000 ? `${text.slice(0, 2000)}…` : text);

async function send(settings: PortalSyncSettings, record: { id: string; payload: unknown }): Promise<SendOutcome> {
  try {
    const response = await fetch(settings.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': record.id },
      body: JSON.stringify(record.payload),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    return outcomeOfReply(response.status, clip(await response.text()));
  } catch (error) {
    return { kind: 'retry', error: clip(error instanceof Error ? `${error.name}: ${error.message}` : String(error)) };
  }
}

interface ClaimedRecord {
  id: string;
  payload: unknown;
  attempts: number;
}

export interface SyncRound {
  acknowledged: number;
  rejected: number;
  retried: number;
  failed: number;
}

export interface PortalSyncWorker {
  /** One pass over every province: claims due records, sends them, records the replies. */
  runOnce(): Promise<SyncRound>;
  stop(): Promise<void>;
}

export function createPortalSyncWorker(options: { prisma: PrismaClient; settings: PortalSyncSettings; logger: Logger }): PortalSyncWorker {
  const { prisma, settings, logger } = options;
  const batchSize = settings.batchSize ?? 50;

  const inTenant = <T>(tenantId: string | null, fn: (tx: Db) => Promise<T>) =>
    prisma.$transaction(async (tx) => {
      await enterAppScope(tx, tenantId);
      return fn(tx);
    });

  // Claimed records are ours until claimed_until; a worker that dies mid-send leaves them to the next.
  const claim = (tenantId: string) =>
    inTenant(tenantId, (tx) =>
      tx.$queryRaw<ClaimedRecord[]>`
        UPDATE portal_sync_record AS r
        SET claimed_until = now() + ${`${settings.timeoutMs * 2} milliseconds`}::interval
        WHERE (r.tenant_id, r.id) IN (
          SELECT c.tenant_id, c.id FROM portal_sync_record c
          WHERE c.state = 'PENDING' AND c.next_attempt_at <= now()
            AND (c.claimed_until IS NULL OR c.claimed_until < now())
            AND NOT EXISTS (
              SELECT 1 FROM portal_sync_record older
              WHERE older.tenant_id = c.tenant_id AND older.dossier_id = c.dossier_id
                AND older.state IN ('PENDING', 'FAILED')
                AND (older.created_at, older.id) < (c.created_at, c.id))
          ORDER BY c.created_at, c.id
          LIMIT ${batchSize}
          FOR UPDATE SKIP LOCKED)
        RETURNING r.id, r.payload, r.attempts`,
    );

  const settle = (tenantId: string, record: ClaimedRecord, outcome: SendOutcome) =>
    inTenant(tenantId, async (tx) => {
      const attempts = record.attempts + 1;
      if (outcome.kind === 'retry') {
        const gaveUp = attempts >= settings.maxAttempts;
        await tx.portalSyncRecord.update({
          where: { tenantId_id: { tenantId, id: record.id } },
          data: {
            attempts,
            state: gaveUp ? 'FAILED' : 'PENDING',
            lastError: outcome.error,
            claimedUntil: null,
            nextAttemptAt: new Date(Date.now() + retryDelayMs(attempts, settings.retryBaseMs)),
            settledAt: gaveUp ? new Date() : null,
          },
        });
        return gaveUp ? 'failed' : 'retried';
      }
      await tx.portalSyncRecord.update({
        where: { tenantId_id: { tenantId, id: record.id } },
        data: {
          attempts,
          state: outcome.kind === 'acknowledged' ? 'ACKNOWLEDGED' : 'REJECTED',
          reply: outcome.reply,
          claimedUntil: null,
          settledAt: new Date(),
        },
      });
      return outcome.kind;
    });

  let stopped = false;
  const runTenant = async (tenantId: string, round: SyncRound) => {
    for (;;) {
      const records = await claim(tenantId);
      for (const record of records) {
        const result = await settle(tenantId, record, await send(settings, record));
        round[result]++;
      }
      // A full batch may mean more are due; a dossier's next record may have just been unblocked.
      if (stopped || records.length === 0) return;
    }
  };

  const runOnce = async () => {
    const round: SyncRound = { acknowledged: 0, rejected: 0, retried: 0, failed: 0 };
    const tenants = await inTenant(null, (tx) => tx.tenant.findMany({ where: { id: { in: settings.tenantIds } }, select: { id: true } }));
    for (const tenant of tenants) {
      try {
        await runTenant(tenant.id, round);
      } catch (error) {
        logger.error({ err: error, tenantId: tenant.id }, 'portal sync round failed');
      }
    }
    return round;
  };

  return {
    runOnce,
    async stop() {
      stopped = true;
    },
  };
}

/** Runs the worker in the background: every pollMs, and at once when a change is committed. */
export async function startPortalSyncWorker(options: { database: Database; settings: PortalSyncSettings; logger: Logger }) {
  const worker = createPortalSyncWorker({ prisma: options.database.prisma, settings: options.settings, logger: options.logger });
  let running: Promise<unknown> | null = null;
  let again = false;
  const kick = () => {
    if (running) {
      again = true;
      return;
    }
    running = worker
      .runOnce()
      .catch((error: unknown) => options.logger.error({ err: error }, 'portal sync failed'))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          kick();
        }
      });
  };
  const listener = await options.database.listen(PORTAL_SYNC_CHANNEL, kick);
  const timer = setInterval(kick, options.settings.pollMs);
  kick();
  return {
    async stop() {
      clearInterval(timer);
      await listener.close();
      await worker.stop();
      await running;
    },
  };
}

// ---------------------------------------------------------------- operators

/** Back to PENDING, due now, attempts reset: for REJECTED or FAILED records an operator has looked at. */
export async function replayPortalSync(db: Db, tenantId: string, ids: string[]): Promise<number> {
  const replayable: SyncState[] = ['REJECTED', 'FAILED'];
  const updated = await db.portalSyncRecord.updateMany({
    where: { tenantId, id: { in: ids }, state: { in: replayable } },
    data: { state: 'PENDING', attempts: 0, nextAttemptAt: new Date(), claimedUntil: null, settledAt: null },
  });
  if (updated.count) await db.$executeRaw`SELECT pg_notify(${PORTAL_SYNC_CHANNEL}, ${tenantId})`;
  return updated.count;
}
