// The audit trail: what is recorded, appended to the province's hash chain inside the operation's own
// transaction, queried by province admins and verified by `npm run audit:verify`.
//
// `recordAudit` only notes an entry on the unit of work; the notes are appended just before it
// commits (UnitOfWork.beforeCommit), so an entry commits with the change or not at all, and the
// province's chain head is locked for the last moments of the transaction only. Reads of personal
// data are recorded even when the operation rolls back: the data may have left in a partial answer.
import crypto from 'node:crypto';
import { WorkContext, type Context } from '../../context/context';
import type { Caller } from '../../context/caller';
import type { Db } from '../../db/tenant-scope';
import type { Prisma } from '../../generated/prisma/client';
import { GENESIS_HASH, appendToChain, chainVerifier, type ChainHead, type ChainVerdict } from './audit-chain';

export interface AuditRecord {
  kind: 'MUTATION' | 'READ';
  operation: string | null;
  fields: string[];
  targetIds: string[];
  inputDigest: string | null;
}

interface PendingAudit {
  operation: string | null;
  records: AuditRecord[];
  /** Personal-data reads of the unit of work, gathered into one READ entry: field -> target ids. */
  reads: Map<string, Set<string>>;
}

const PENDING = {};

function pendingOf(ctx: Context): PendingAudit | null {
  // Every context of an operation or event is a WorkContext; one made by hand (a test) records nothing.
  if (!(ctx instanceof WorkContext) || !ctx.province) return null;
  let pending = ctx.memo.get(PENDING) as PendingAudit | undefined;
  if (!pending) {
    const created: PendingAudit = { operation: null, records: [], reads: new Map() };
    pending = created;
    ctx.memo.set(PENDING, created);
    ctx.work.beforeCommit(() => appendAudit(ctx, ctx.db, [...created.records, ...readRecord(created)]));
    ctx.work.afterEnd(async (outcome) => {
      const reads = readRecord(created);
      if (outcome === 'committed' || !reads.length) return;
      await ctx.work.inOwnTransaction((db) => appendAudit(ctx, db, reads)).catch((error: unknown) => ctx.log.error({ err: error }, 'recording a personal-data read failed'));
    });
  }
  return pending;
}

const readRecord = (pending: PendingAudit): AuditRecord[] =>
  pending.reads.size
    ? [{
        kind: 'READ',
        operation: pending.operation,
        fields: [...pending.reads.keys()].sort(),
        targetIds: [...new Set([...pending.reads.values()].flatMap((ids) => [...ids]))].sort(),
        inputDigest: null,
      }]
    : [];

/** Notes an entry, appended to the province's chain when the operation's transaction commits. */
export function recordAudit(ctx: Context, record: AuditRecord): void {
  pendingOf(ctx)?.records.push(record);
}

/** The operation's name, for the READ entry of the same unit of work. */
export function nameOperation(ctx: Context, operation: string | null): void {
  const pending = pendingOf(ctx);
  if (pending) pending.operation = operation;
}

/** Notes that `field` of `targetId` (e.g. Official.idNumber of Official:…) was read. */
export function recordPersonalDataRead(ctx: Context, field: string, targetId: string): void {
  const pending = pendingOf(ctx);
  if (!pending) return;
  let ids = pending.reads.get(field);
  if (!ids) pending.reads.set(field, (ids = new Set()));
  ids.add(targetId);
}

/** Who acted, as the entry records it. */
export function actorOf(caller: Caller): { actorKind: string; actorSubject: string | null; actorRoles: string[]; actorAgency: string | null } {
  switch (caller.kind) {
    case 'official':
      return { actorKind: caller.kind, actorSubject: caller.subject, actorRoles: [...caller.roles].sort(), actorAgency: caller.agencyCode };
    case 'citizen':
    case 'ministry':
    case 'platformAdmin':
      return { actorKind: caller.kind, actorSubject: caller.subject, actorRoles: [], actorAgency: null };
    case 'system':
      return { actorKind: caller.kind, actorSubject: caller.reason, actorRoles: [], actorAgency: null };
    case 'anonymous':
      return { actorKind: caller.kind, actorSubject: null, actorRoles: [], actorAgency: null };
  }
}

/**
 * Appends entries to the province's chain in two statements. The first creates the head row on first
 * use and locks it (an upsert that changes nothing, returning the head), so one province's appends
 * follow one another while other provinces' go on; the lock is held until the transaction commits,
 * which is right after. The second inserts the linked entries and moves the head on.
 */
async function appendAudit(ctx: Context, db: Db, records: AuditRecord[]): Promise<void> {
  if (!records.length || !ctx.province) return;
  const tenantId = ctx.province.id;
  const [head] = await db.$queryRaw<ChainHead[]>`
    INSERT INTO audit_chain_head (tenant_id, position, hash) VALUES (${tenantId}::uuid, 0, ${GENESIS_HASH})
    ON CONFLICT (tenant_id) DO UPDATE SET position = audit_chain_head.position
    RETURNING position, hash`;
  const actor = actorOf(ctx.caller);
  const linked = appendToChain(
    head,
    records.map((record) => ({ tenantId, id: crypto.randomUUID(), at: ctx.now, requestId: ctx.requestId, clientAddress: ctx.clientAddress, ...actor, ...record })),
  );
  // One statement rather than Prisma's createMany and update: a third of the time under the lock.
  const rows = linked.entries.map((entry) => ({
    tenant_id: entry.tenantId, id: entry.id, position: entry.position, at: entry.at.toISOString(), kind: entry.kind, operation: entry.operation,
    fields: entry.fields, target_ids: entry.targetIds, input_digest: entry.inputDigest, request_id: entry.requestId, client_address: entry.clientAddress,
    actor_kind: entry.actorKind, actor_subject: entry.actorSubject, actor_roles: entry.actorRoles, actor_agency: entry.actorAgency,
    previous_hash: entry.previousHash, hash: entry.hash,
  }));
  await db.$executeRaw`
    WITH appended AS (
      INSERT INTO audit_entry (tenant_id, id, position, at, kind, operation, fields, target_ids, input_digest, request_id, client_address,
        actor_kind, actor_subject, actor_roles, actor_agency, previous_hash, hash)
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS entry(tenant_id uuid, id uuid, position int, at timestamptz,
        kind "AuditKind", operation text, fields text[], target_ids text[], input_digest text, request_id text, client_address text,
        actor_kind text, actor_subject text, actor_roles text[], actor_agency text, previous_hash text, hash text)
    )
    UPDATE audit_chain_head SET position = ${linked.head.position}, hash = ${linked.head.hash} WHERE tenant_id = ${tenantId}::uuid`;
}

// ---------------------------------------------------------------- the province admins' query

export interface AuditFilter {
  actor?: string | null;
  target?: string | null;
  operation?: string | null;
  kind?: 'MUTATION' | 'READ' | null;
  from?: Date | null;
  to?: Date | null;
}

/** `operation` matches the client's operation name or a root field; `target` one of the target ids. */
export function auditWhere(tenantId: string, filter: AuditFilter | null | undefined): Prisma.AuditEntryWhereInput {
  return {
    tenantId,
    actorSubject: filter?.actor ?? undefined,
    targetIds: filter?.target ? { has: filter.target } : undefined,
    kind: filter?.kind ?? undefined,
    OR: filter?.operation ? [{ operation: filter.operation }, { fields: { has: filter.operation } }] : undefined,
    at: filter?.from || filter?.to ? { gte: filter.from ?? undefined, lt: filter.to ?? undefined } : undefined,
  };
}

// ---------------------------------------------------------------- verification (owner side)

const BATCH = 5000;

/** Reads a province's chain in position order and checks it (the caller gives one snapshot: see audit-verify.ts). */
export async function verifyProvinceChain(db: Db, tenantId: string): Promise<ChainVerdict> {
  const head = await db.auditChainHead.findUnique({ where: { tenantId }, select: { position: true, hash: true } });
  const verifier = chainVerifier(head);
  let after = -1;
  for (;;) {
    // Positions can be anything once someone has edited rows: page by position, never by offset.
    const batch = await db.auditEntry.findMany({ where: { tenantId, position: { gt: after } }, orderBy: { position: 'asc' }, take: BATCH });
    if (!batch.length || !verifier.add(batch)) break;
    after = batch[batch.length - 1].position;
  }
  return verifier.end();
}
