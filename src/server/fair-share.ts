// Fair sharing between provinces and clients, for every HTTP and WebSocket operation (server.ts):
// - `admit`: rate limits, before anything else runs. An anonymous client is counted by its address,
//   a signed-in caller by token subject and province, and each province as a whole; a province's
//   daily quota (province_quota, set by an operator) likewise. Counted across all server processes
//   in PostgreSQL (rate-limiter-flexible's RateLimiterPostgres on rate_limit_counter), or in memory
//   on the embedded PGlite (one process only). Beyond a limit: RATE_LIMITED with Retry-After.
// - `enter` / `leave`: a per-process cap on a province's operations in flight (each holds a pooled
//   connection for its whole life), so that one province's load cannot take every connection; the
//   next ones wait briefly in line, then PROVINCE_BUSY with Retry-After.
// Keys are hashes or ids, never an address or a subject as such (a subject may be a CCCD).
import crypto from 'node:crypto';
import pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Caller } from '../context/caller';
import type { WorkContext } from '../context/context';
import type { Config } from '../config';
import { AppError, ErrorCode } from '../errors';
import { defineModule, type ModuleRuntime } from '../kernel/module';
import { vietnamDateOf, VIETNAM_UTC_OFFSET_MINUTES } from '../kernel/vietnam-time';
import { readRequestsPerDay } from '../modules/quotas/quota.service';
import { createConcurrencyGate, type Release } from './concurrency-gate';

export interface FairShare {
  /** Counts one operation of the caller; throws RATE_LIMITED when a limit of the window or the day is spent. */
  admit(ctx: WorkContext): Promise<void>;
  /**
   * Takes a slot of the province's share of connections before the unit of work begins; throws
   * PROVINCE_BUSY. A subscription event is `patient`: it waits up to the request time limit, past a
   * full line, rather than be lost to its subscriber.
   */
  enter(ctx: WorkContext, options?: { patient: boolean }): Promise<void>;
  /** Gives the slot back once the unit of work has ended; safe to call again or without a slot. */
  leave(ctx: WorkContext): void;
  requestsToday(tenantId: string, now: Date): Promise<number>;
  /** Reads the province's quota afresh on its next operation (after an operator changed it). */
  forgetQuota(tenantId: string): void;
}

declare module '../kernel/module' {
  interface ModuleServices {
    fairShare: FairShare;
  }
}

const QUOTA_REFRESH_MS = 30_000;
const DAY_MS = 86_400_000;

/** A short one-way digest: the same caller always gets the same key, and the key names nobody. */
export const keyDigest = (value: string) => crypto.createHash('sha256').update(value).digest('base64url').slice(0, 22);

export type ClientLimit = { kind: 'address' | 'subject'; key: string };

/** Whom an operation is counted against, besides its province: the client's address or the token's subject. */
export function clientLimitOf(caller: Caller, clientAddress: string): ClientLimit | null {
  switch (caller.kind) {
    case 'anonymous':
      return { kind: 'address', key: keyDigest(clientAddress) };
    case 'system':
      return null;
    default:
      return { kind: 'subject', key: `${caller.province?.id ?? '-'}:${keyDigest(caller.subject)}` };
  }
}

/** Milliseconds from `now` to the next midnight in Vietnam, when a daily quota starts again. */
export function msUntilVietnamMidnight(now: Date): number {
  const offsetMs = VIETNAM_UTC_OFFSET_MINUTES * 60_000;
  const local = now.getTime() + offsetMs;
  return DAY_MS - (((local % DAY_MS) + DAY_MS) % DAY_MS);
}

/** The refusal the client reads, in Vietnamese, with when to try again. */
export function refusalOf(limit: 'address' | 'subject' | 'province' | 'quota', retryAfterSeconds: number, provinceName?: string): AppError {
  const when = retryAfterSeconds >= 120 ? `${Math.ceil(retryAfterSeconds / 60)} phút` : `${retryAfterSeconds} giây`;
  const message = {
    address: `Có quá nhiều yêu cầu từ địa chỉ của bạn. Vui lòng thử lại sau ${when}.`,
    subject: `Tài khoản đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau ${when}.`,
    province: `${provinceName ?? 'Tỉnh/thành phố'} đang nhận quá nhiều yêu cầu. Vui lòng thử lại sau ${when}.`,
    quota: `${provinceName ?? 'Tỉnh/thành phố'} đã dùng hết hạn mức yêu cầu trong ngày. Vui lòng thử lại sau ${when}.`,
  }[limit];
  return new AppError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds, limit });
}

/**
 * The in-flight cap of one province in one process: configured, else a quarter of the pool (at least
 * one). Low, because the process's CPU is shared too: see BENCHMARKS.md.
 */
export const provinceShareOf = (config: Pick<Config, 'PROVINCE_MAX_CONCURRENT' | 'DATABASE_POOL_SIZE'>) =>
  config.PROVINCE_MAX_CONCURRENT ?? Math.max(1, Math.ceil(config.DATABASE_POOL_SIZE / 4));

type Store = { kind: 'postgres'; pool: pg.Pool } | { kind: 'memory' };

function limiterFactory(store: Store) {
  let sweeping = false;
  return (keyPrefix: string, points: number, durationSeconds: number, blockInMemory = true): RateLimiterAbstract => {
    const options = { keyPrefix, points, duration: durationSeconds };
    if (store.kind === 'memory') return new RateLimiterMemory(options);
    // One limiter is enough to sweep expired rows from the shared table (every 5 minutes).
    const clearExpiredByTimeout = !sweeping;
    sweeping = true;
    return new RateLimiterPostgres({
      ...options,
      storeClient: store.pool,
      storeType: 'pool',
      tableName: 'rate_limit_counter',
      tableCreated: true, // by the migration, granted to egov_app
      clearExpiredByTimeout,
      // Once a key is over its limit this process refuses it from memory until the window ends: a
      // flood costs no statement per request.
      inMemoryBlockOnConsumed: blockInMemory ? points + 1 : 0,
      // If the store fails, count in memory rather than refuse everyone or let everyone through.
      insuranceLimiter: new RateLimiterMemory(options),
    });
  };
}

/** Consumes one point; the refusal's seconds to wait when the limit is spent, else null. */
async function consume(limiter: RateLimiterAbstract, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw rejection;
  }
}

export function createFairShare(runtime: ModuleRuntime, store: Store): FairShare {
  const { config, database } = runtime;
  const limiterOf = limiterFactory(store);
  const window = config.RATE_LIMIT_WINDOW_SECONDS;
  const limiters = {
    address: config.RATE_LIMIT_PER_ADDRESS ? limiterOf('address', config.RATE_LIMIT_PER_ADDRESS, window) : null,
    subject: config.RATE_LIMIT_PER_SUBJECT ? limiterOf('subject', config.RATE_LIMIT_PER_SUBJECT, window) : null,
    province: config.RATE_LIMIT_PER_PROVINCE ? limiterOf('province', config.RATE_LIMIT_PER_PROVINCE, window) : null,
  };
  // One counter per province and Vietnam date (kept two days), compared with the quota here, so that
  // a quota changed during the day goes on from the day's count.
  const dayCounter = limiterOf('quota', 2 ** 31 - 1, (2 * DAY_MS) / 1000, false);
  const dayKey = (tenantId: string, now: Date) => `${tenantId}:${vietnamDateOf(now)}`;
  // Days this process saw spent, with the quota they were spent under: refused without a statement.
  const spent = new Map<string, string>();
  const quotas = new Map<string, { at: number; requestsPerDay: Promise<number | null> }>();
  const quotaOf = (tenantId: string) => {
    let cached = quotas.get(tenantId);
    if (!cached || Date.now() - cached.at > QUOTA_REFRESH_MS) {
      const next = { at: Date.now(), requestsPerDay: readRequestsPerDay(database, tenantId) };
      next.requestsPerDay.catch(() => quotas.delete(tenantId));
      quotas.set(tenantId, (cached = next));
    }
    return cached.requestsPerDay;
  };

  const gate = createConcurrencyGate({ limit: provinceShareOf(config), maxWaitMs: config.PROVINCE_QUEUE_MS, maxQueued: config.PROVINCE_MAX_QUEUED });
  // By unit of work: Apollo may copy the context object, the unit of work is shared by reference.
  const slots = new WeakMap<object, Release>();

  return {
    async admit(ctx) {
      const client = clientLimitOf(ctx.caller, ctx.clientAddress);
      // A platform admin is counted by subject only: an operator can always reach a province whose
      // quota is spent (to raise it).
      const province = ctx.caller.kind === 'platformAdmin' ? null : ctx.province;
      const quota = province ? await quotaOf(province.id) : null;
      // All counted at once (one round trip's latency, not three): a refused attempt still counts.
      const day = province && quota ? `${dayKey(province.id, ctx.now)}/${quota}` : null;
      if (province && day && spent.get(province.id) === day) throw refusalOf('quota', Math.ceil(msUntilVietnamMidnight(ctx.now) / 1000), province.name);
      const [clientWait, provinceWait, countToday] = await Promise.all([
        client && limiters[client.kind] ? consume(limiters[client.kind]!, client.key) : null,
        province && limiters.province ? consume(limiters.province, province.id) : null,
        province && quota ? dayCounter.consume(dayKey(province.id, ctx.now)).then((res) => res.consumedPoints) : null,
      ]);
      if (province && day && countToday !== null && countToday > quota!) {
        spent.set(province.id, day);
        throw refusalOf('quota', Math.ceil(msUntilVietnamMidnight(ctx.now) / 1000), province.name);
      }
      if (clientWait !== null) throw refusalOf(client!.kind, clientWait);
      if (provinceWait !== null) throw refusalOf('province', provinceWait, province?.name);
    },
    async enter(ctx, options) {
      if (slots.has(ctx.work)) return;
      const slot = await gate.acquire(ctx.province?.id ?? '-', options?.patient ? { maxWaitMs: config.REQUEST_TIMEOUT_MS } : undefined);
      if (!slot) {
        throw new AppError(
          ErrorCode.PROVINCE_BUSY,
          `${ctx.province?.name ?? 'Hệ thống'} đang xử lý nhiều yêu cầu cùng lúc. Vui lòng thử lại sau ít giây.`,
          { retryAfterSeconds: 1 },
        );
      }
      slots.set(ctx.work, slot);
    },
    leave(ctx) {
      slots.get(ctx.work)?.();
      slots.delete(ctx.work);
    },
    async requestsToday(tenantId, now) {
      return (await dayCounter.get(dayKey(tenantId, now)))?.consumedPoints ?? 0;
    },
    forgetQuota(tenantId) {
      quotas.delete(tenantId);
      spent.delete(tenantId);
    },
  };
}

export const fairShareModule = defineModule({
  name: 'fairShare',
  async start(runtime) {
    // Its own small pool, as egov_app: checking a limit never waits behind the operations' pool.
    const pool =
      runtime.database.kind === 'postgres' && runtime.config.DATABASE_URL
        ? new pg.Pool({ connectionString: runtime.config.DATABASE_URL, max: 4 })
        : null;
    pool?.on('error', () => undefined);
    if (!pool) runtime.logger.info('rate limits counted in memory (embedded database: one process)');
    const fairShare = createFairShare(runtime, pool ? { kind: 'postgres', pool } : { kind: 'memory' });
    return { services: fairShare, stop: async () => void (await pool?.end().catch(() => undefined)) };
  },
});
