// Sync with the national public-service portal through an outbox. A status change writes its record
// in its own transaction; the worker sends records later, outside any request, so a portal outage
// never fails a clerk's work and a change that rolls back is never sent.
//
// The outbox record is what operators see (portalSyncRecords, replayPortalSync); a job of the
// platform's job runner (src/jobs), scheduled in the same transaction, is how it gets sent.
//
// Delivery: at least once, with the record id as the idempotency key, so the portal can tell a
// retry from a new change. A dossier's records go out in order: one job per dossier sends them
// oldest first, and a newer one waits while an older one is pending or failed. A dossier's jobs
// run in one of its province's few queues, so two workers never send the same dossier at once, and
// a province whose portal hangs holds at most SYNC_LANES_PER_PROVINCE sends, not the others'.
import crypto from 'node:crypto';
import { scheduleJob, type JobContext, type JobTasks } from '../../jobs/job-runner';
import { deliver, retryDelayMs, type DeliverySettings, type SendOutcome } from '../../jobs/http-delivery';
import type { Db } from '../../db/tenant-scope';
import { systemContext, type Platform } from '../../context/context';
import type { Prisma } from '../../generated/prisma/client';
import type { SyncState } from '../../generated/prisma/enums';
import type { DossierAction, DossierStatus } from './lifecycle';
import { portalPayload, type DossierSnapshot } from './portal-payload';

export const PORTAL_SYNC_TASK = 'portal-sync';

/** Sends of one province that may be in flight at once, across all workers (its number of queues). */
export const SYNC_LANES_PER_PROVINCE = 4;

/** Pure: the queue a dossier's jobs run in. Few queues per province (graphile-worker locks every free queue on each fetch). */
export function syncQueueOf(tenantId: string, dossierId: string, lanes = SYNC_LANES_PER_PROVINCE): string {
  const lane = crypto.createHash('sha1').update(dossierId).digest().readUInt32BE(0) % lanes;
  return `${PORTAL_SYNC_TASK}:${tenantId}:${lane}`;
}

interface SyncJob {
  tenantId: string;
  dossierId: string;
}

const syncJobOptions = ({ tenantId, dossierId }: SyncJob) => ({ queue: syncQueueOf(tenantId, dossierId), key: `${PORTAL_SYNC_TASK}:${tenantId}:${dossierId}` });

/** The dossier as the change's transaction reads it: the snapshot's own columns, and its relations. */
type DossierForSync = Pick<
  DossierSnapshot,
  'code' | 'status' | 'fieldCode' | 'applicantName' | 'applicantIdNumber' | 'applicantType' | 'applicantPhone' | 'applicantEmail' | 'applicantAddress' | 'summary' | 'channel' | 'receivedAt' | 'dueAt' | 'returnedAt'
> & {
  id: string;
  tenantId: string;
  endedAt: Date | null;
  procedure: { code: string; name: string; fieldName: string };
  agency: { code: string; name: string };
  assignee: { fullName: string } | null;
};

export interface SyncStep {
  action: DossierAction | null;
  actorName: string | null;
  at: Date;
  stepDueAt: Date | null;
  note: string | null;
}

/** Writes the outbox record of a change and schedules its dossier's send, both in the change's transaction. */
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
  // A dossier already waiting out a retry keeps its time: the new change goes after the older one.
  const job = { tenantId: dossier.tenantId, dossierId: dossier.id };
  await scheduleJob(db, PORTAL_SYNC_TASK, job, { ...syncJobOptions(job), keepRunAt: true });
}

// ---------------------------------------------------------------- the worker

export type PortalSyncSettings = DeliverySettings;

const send = (settings: PortalSyncSettings, record: { id: string; payload: unknown }) => deliver(settings, record.id, JSON.stringify(record.payload));

// One run of a dossier's job sends the records that were unsettled when it began, at most this many.
// Changes made meanwhile were scheduled as a new job at the back of the queue (the running job is
// locked, so its key goes to a new one): a busy dossier takes turns with its lane's others instead
// of holding the lane. With NATIONAL_PORTAL_TIMEOUT_MS at most 2 minutes a run stays far below the
// job lock's 4 hours.
const SENDS_PER_RUN = 20;

interface DueRecord {
  id: string;
  payload: unknown;
  attempts: number;
  state: SyncState;
  nextAttemptAt: Date;
}

/** The job runner's tasks of the sync: `portal-sync` sends one dossier's pending records, in order. */
export function portalSyncTasks(options: { platform: Platform; settings: PortalSyncSettings }): JobTasks {
  const { platform, settings } = options;
  const logger = platform.logger.child({ worker: 'portal-sync' });

  // The worker's only way to the outbox: each call one unit of work acting as the system in the
  // record's province (row-level security as for any caller), none held while sending.
  const inTenant = async <T>(tenantId: string, fn: (tx: Db) => Promise<T>) => {
    const province = await platform.provinces.findById(tenantId);
    if (!province) throw new Error(`portal sync: no province ${tenantId}`);
    return systemContext(platform, province, 'national-portal sync', (ctx) => fn(ctx.db));
  };

  const unsettled = (job: SyncJob) =>
    inTenant(job.tenantId, (tx) =>
      tx.portalSyncRecord.findMany({
        where: { tenantId: job.tenantId, dossierId: job.dossierId, state: { in: ['PENDING', 'FAILED'] } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: SENDS_PER_RUN,
        select: { id: true, payload: true, attempts: true, state: true, nextAttemptAt: true },
      }),
    );

  /** Records the reply; returns when the next attempt is due, for a retry. */
  const settle = (tenantId: string, record: DueRecord, outcome: SendOutcome) =>
    inTenant(tenantId, async (tx) => {
      const attempts = record.attempts + 1;
      const where = { tenantId, id: record.id, state: 'PENDING' as const, attempts: record.attempts };
      if (outcome.kind === 'retry') {
        const gaveUp = attempts >= settings.maxAttempts;
        const nextAttemptAt = new Date(Date.now() + retryDelayMs(attempts, settings.retryBaseMs));
        await tx.portalSyncRecord.updateMany({
          where,
          data: { attempts, state: gaveUp ? 'FAILED' : 'PENDING', lastError: outcome.error, nextAttemptAt, settledAt: gaveUp ? new Date() : null },
        });
        return gaveUp ? ({ kind: 'failed' } as const) : ({ kind: 'retried', nextAttemptAt } as const);
      }
      await tx.portalSyncRecord.updateMany({
        where,
        data: { attempts, state: outcome.kind === 'acknowledged' ? 'ACKNOWLEDGED' : 'REJECTED', reply: outcome.reply, settledAt: new Date() },
      });
      return { kind: outcome.kind } as const;
    });

  const again = (context: JobContext, job: SyncJob, runAt: Date) => context.schedule(PORTAL_SYNC_TASK, job, { ...syncJobOptions(job), runAt });

  const sendDossier = async (payload: unknown, context: JobContext) => {
    const job = payload as SyncJob;
    const records = await unsettled(job);
    for (const record of records) {
      // FAILED holds the dossier's later changes back until an operator replays it (which schedules us again).
      if (record.state === 'FAILED' || context.signal.aborted) return;
      if (record.nextAttemptAt.getTime() > Date.now()) return again(context, job, record.nextAttemptAt);
      const outcome = await send(settings, record);
      const settled = await settle(job.tenantId, record, outcome);
      if (settled.kind === 'retried') {
        logger.warn({ tenantId: job.tenantId, recordId: record.id, error: outcome.kind === 'retry' ? outcome.error : undefined }, 'portal send failed; retrying');
        return again(context, job, settled.nextAttemptAt);
      }
      if (settled.kind === 'failed') return;
    }
    if (records.length === SENDS_PER_RUN) await again(context, job, new Date());
  };

  return { [PORTAL_SYNC_TASK]: sendDossier };
}

// ---------------------------------------------------------------- operators

/** Back to PENDING, due now, attempts reset, and its dossier's send scheduled: for REJECTED or FAILED records an operator has looked at. */
export async function replayPortalSync(db: Db, tenantId: string, ids: string[]): Promise<number> {
  const replayable: SyncState[] = ['REJECTED', 'FAILED'];
  const replayed = await db.portalSyncRecord.updateManyAndReturn({
    where: { tenantId, id: { in: ids }, state: { in: replayable } },
    data: { state: 'PENDING', attempts: 0, nextAttemptAt: new Date(), claimedUntil: null, settledAt: null },
    select: { dossierId: true },
  });
  for (const dossierId of new Set(replayed.map((record) => record.dossierId))) {
    const job = { tenantId, dossierId };
    await scheduleJob(db, PORTAL_SYNC_TASK, job, syncJobOptions(job));
  }
  return replayed.length;
}
