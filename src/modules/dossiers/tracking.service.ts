// Public tracking: a dossier code and the secret printed on the receipt give its status, due date
// and history, without personal data. A wrong secret answers exactly as an unknown code (null), and
// failed lookups are counted per client and per province, in the database so that every server
// process shares the count, and in a transaction of their own so that the count stands even when
// the operation that made the guess fails and rolls back.
import type { ProvinceContext } from '../../context/context';
import type { Sql, Statement } from '../../db/sql';
import type { Db } from '../../db/tenant-scope';
import { AppError, invalidInput } from '../../errors';
import { hashTrackingSecret, isWellFormedSecret, normaliseSecret, parseDossierCode, secretsMatch } from './dossier-code';
import type { DossierStatus } from './lifecycle';

export const TRACKING_WINDOW_MS = 10 * 60_000;

export interface TrackingLimits {
  perClient: number;
  perProvince: number;
}

export interface TrackedStep {
  action: string;
  status: DossierStatus;
  at: Date;
}

export interface TrackedDossier {
  dossierId: string;
  code: string;
  procedureCode: string;
  procedureName: string;
  agencyName: string;
  channel: 'IN_PERSON' | 'ONLINE' | 'POSTAL';
  status: DossierStatus;
  submittedAt: Date;
  receivedAt: Date | null;
  dueAt: Date | null;
  pausedAt: Date | null;
  resultReadyAt: Date | null;
  returnedAt: Date | null;
  endedAt: Date | null;
  history: TrackedStep[];
}

/** A code and secret that do not match, where an answer must say so: the same for an unknown code and a wrong secret. */
export const notTracked = () => new AppError('DOSSIER_NOT_FOUND', 'Không tìm thấy hồ sơ với mã và mã tra cứu đã nhập.');

/** Pure: the start of the fixed window holding `now`. */
export const windowStartOf = (now: Date) => new Date(Math.floor(now.getTime() / TRACKING_WINDOW_MS) * TRACKING_WINDOW_MS);

export function normaliseTrackingInput(code: string, secret: string) {
  const normalisedCode = code.trim().toUpperCase();
  const errors = [];
  if (!parseDossierCode(normalisedCode)) errors.push({ field: 'code', message: 'Mã hồ sơ không đúng định dạng (vd. 000.00.03.H17-260429-0007)' });
  if (!isWellFormedSecret(secret)) errors.push({ field: 'secret', message: 'Mã tra cứu gồm 8 ký tự in trên phiếu hẹn' });
  if (errors.length) throw invalidInput(errors);
  return { code: normalisedCode, secret: normaliseSecret(secret) };
}

async function countFailure(db: Db, keys: { client: string; province: string }, now: Date) {
  const windowStart = windowStartOf(now);
  // Only failures keep rows, and only the current window matters: the table stays small.
  await db.trackingAttempt.deleteMany({ where: { windowStart: { lt: windowStart } } });
  for (const [scope, key] of [['client', keys.client], ['province', keys.province]] as const) {
    await db.$executeRaw`
      INSERT INTO tracking_attempt (scope, key, window_start, failures) VALUES (${scope}, ${key}, ${windowStart}, 1)
      ON CONFLICT (scope, key, window_start) DO UPDATE SET failures = tracking_attempt.failures + 1`;
  }
}

const limitsOf = (ctx: ProvinceContext): TrackingLimits => ({
  perClient: ctx.platform.config.TRACKING_FAILURES_PER_CLIENT,
  perProvince: ctx.platform.config.TRACKING_FAILURES_PER_PROVINCE,
});

/** The dossier behind (code, secret), or null; a miss is counted in a transaction of its own. */
export async function lookUpTrackedDossier(ctx: ProvinceContext, input: { code: string; secret: string }): Promise<TrackedDossier | null> {
  const tenantId = ctx.province.id;
  const keys = { client: `${tenantId}:${ctx.clientAddress}`, province: tenantId };
  const windowStart = windowStartOf(ctx.now);
  const [{ clientFailures, provinceFailures, ...found }] = await ctx.sql.rows<TrackableRow & { clientFailures: number | null; provinceFailures: number | null }>(TRACKABLE_WITH_FAILURES, [
    tenantId,
    input.code,
    keys.client,
    keys.province,
    windowStart,
  ]);
  const limits = limitsOf(ctx);
  if ((clientFailures ?? 0) >= limits.perClient || (provinceFailures ?? 0) >= limits.perProvince) {
    const retryAfterSeconds = Math.ceil((windowStart.getTime() + TRACKING_WINDOW_MS - ctx.now.getTime()) / 1000);
    throw new AppError('RATE_LIMITED', `Tra cứu sai quá nhiều lần. Vui lòng thử lại sau ${Math.ceil(retryAfterSeconds / 60)} phút.`, { retryAfterSeconds });
  }
  const dossier = found.dossierId === null ? null : found;
  // Hash even when there is no dossier, so that an unknown code takes as long as a wrong secret.
  const matched = dossier ? secretsMatch(input.code, input.secret, dossier.secretHash) : (hashTrackingSecret(input.code, input.secret), false);
  if (!dossier || !matched) {
    ctx.afterWork((db) => countFailure(db, keys, ctx.now));
    return null;
  }
  return withHistory(ctx.sql, tenantId, dossier);
}

/** The public view of a dossier, for a caller who has already shown the secret (subscriptions). */
export async function trackedView(ctx: ProvinceContext, code: string): Promise<TrackedDossier | null> {
  const [dossier] = await ctx.sql.rows<TrackableRow>(TRACKABLE, [ctx.province.id, code]);
  return dossier ? withHistory(ctx.sql, ctx.province.id, dossier) : null;
}

type TrackableRow = Omit<TrackedDossier, 'history'> & { secretHash: string };

/**
 * The public columns of a dossier with its procedure and agency (the most-hit public path); the
 * applicant's data is never read here.
 */
const TRACKABLE_COLUMNS = `d.id AS "dossierId", d.code, d.secret_hash AS "secretHash", d.channel::text AS channel, d.status::text AS status,
  d.submitted_at AS "submittedAt", d.received_at AS "receivedAt", d.due_at AS "dueAt", d.paused_at AS "pausedAt",
  d.result_ready_at AS "resultReadyAt", d.returned_at AS "returnedAt", d.ended_at AS "endedAt",
  p.code AS "procedureCode", p.name AS "procedureName", a.name AS "agencyName"`;
const TRACKABLE_FROM = `dossier d JOIN procedure p ON p.id = d.procedure_id JOIN agency a ON a.tenant_id = d.tenant_id AND a.id = d.agency_id`;

const TRACKABLE: Statement = {
  name: 'tracking_dossier',
  text: `SELECT ${TRACKABLE_COLUMNS} FROM ${TRACKABLE_FROM} WHERE d.tenant_id = $1::uuid AND d.code = $2`,
};

/** The same, with the failed look-ups of the client and of the province in the current window: one round trip. */
const TRACKABLE_WITH_FAILURES: Statement = {
  name: 'tracking_lookup',
  text: `SELECT ${TRACKABLE_COLUMNS}, f."clientFailures", f."provinceFailures"
    FROM (SELECT (SELECT failures FROM tracking_attempt WHERE scope = 'client' AND key = $3 AND window_start = $5) AS "clientFailures",
                 (SELECT failures FROM tracking_attempt WHERE scope = 'province' AND key = $4 AND window_start = $5) AS "provinceFailures") f
    LEFT JOIN (${TRACKABLE_FROM}) ON d.tenant_id = $1::uuid AND d.code = $2`,
};

const HISTORY: Statement = {
  name: 'tracking_history',
  text: `SELECT action, to_status::text AS status, at FROM dossier_log_entry WHERE tenant_id = $1::uuid AND dossier_id = $2::uuid ORDER BY at, id`,
};

/** Adds the log, read only once the secret matched. Notes and names stay out: they may carry personal data. */
async function withHistory(sql: Sql, tenantId: string, dossier: TrackableRow): Promise<TrackedDossier> {
  const { secretHash: _secretHash, ...view } = dossier;
  const history = await sql.rows<TrackedStep>(HISTORY, [tenantId, dossier.dossierId]);
  return { ...view, history };
}

/** A receipt names one dossier: an operation has no need to look up more than a few at once. */
export const MAX_TRACKING_LOOKUPS_PER_OPERATION = 3;
const LOOKUPS = {};

export function trackDossier(ctx: ProvinceContext, code: string, secret: string) {
  const input = normaliseTrackingInput(code, secret);
  const made = ((ctx.memo.get(LOOKUPS) as number | undefined) ?? 0) + 1;
  ctx.memo.set(LOOKUPS, made);
  if (made > MAX_TRACKING_LOOKUPS_PER_OPERATION) {
    throw new AppError('RATE_LIMITED', `Mỗi lần chỉ tra cứu được tối đa ${MAX_TRACKING_LOOKUPS_PER_OPERATION} hồ sơ.`, { retryAfterSeconds: 1 });
  }
  return lookUpTrackedDossier(ctx, input);
}
