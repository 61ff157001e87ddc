// The one place that turns a request (HTTP or WebSocket) into a Context: who calls, for which
// province, and the database transaction scoped to that province.
import crypto from 'node:crypto';
import type { Config } from '../config';
import type { Db } from '../db/tenant-scope';
import { openRequestTransaction } from '../db/request-transaction';
import type { PrismaClient } from '../generated/prisma/client';
import type { BackOfficeRole } from '../generated/prisma/enums';
import { AppError, ErrorCode } from '../errors';
import type { Logger } from '../logger';
import type { Caller, ProvinceRef } from './caller';
import { bearerToken, type TokenClaims, type TokenVerifier } from './token';
import type { ProvinceDirectory } from './province-directory';
import type { DossierEventHub } from '../modules/dossiers/dossier-events';
import type { TrackingLimits } from '../modules/dossiers/tracking.service';

export interface Context {
  requestId: string;
  caller: Caller;
  /** The province the request acts in; null only for callers that act in none (ministries, anonymous without X-Province). */
  province: ProvinceRef | null;
  /** The request's transaction: row-level security limits it to `province`. Not for subscriptions. */
  db: Db;
  /**
   * Runs `fn` in a transaction scoped like `db`: the request's own for queries and mutations; a
   * short new one per call for subscriptions, which live too long to hold a transaction open.
   */
  transact<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** Dossier events from every server process (PostgreSQL LISTEN/NOTIFY). */
  events: DossierEventHub;
  /** The client's address as the server sees it (rate limits). */
  clientAddress: string;
  /** Failed tracking lookups allowed per window. */
  trackingLimits: TrackingLimits;
  /** How long statistics of a running period may be reused (STATISTICS_FRESH_SECONDS). */
  statisticsFreshMs: number;
  /** Province lookups (by code, slug, id, host) for the few use cases that name another province. */
  provinces: ProvinceDirectory;
  log: Logger;
}

export interface ContextDependencies {
  config: Config;
  prisma: PrismaClient;
  provinces: ProvinceDirectory;
  verifyToken: TokenVerifier;
  logger: Logger;
  events: DossierEventHub;
}

/** What the server reads off a request; HTTP headers and graphql-ws connection params alike. */
export interface RequestCredentials {
  authorization?: string;
  province?: string;
  host?: string;
  requestId?: string;
  clientAddress?: string;
}

export interface OpenedContext {
  context: Context;
  finish(outcome: 'commit' | 'rollback'): Promise<void>;
}

export async function identifyCaller(
  deps: Pick<ContextDependencies, 'provinces' | 'verifyToken'>,
  credentials: RequestCredentials,
): Promise<Caller> {
  const token = bearerToken(credentials.authorization);
  const named = credentials.province?.trim() ? await deps.provinces.find(credentials.province.trim()) : undefined;
  if (named === null) {
    throw new AppError(ErrorCode.PROVINCE_NOT_FOUND, `Không tìm thấy tỉnh/thành phố "${credentials.province}".`);
  }
  if (!token) {
    const byHost = named ?? (credentials.host ? await deps.provinces.findByHost(credentials.host) : null);
    return { kind: 'anonymous', province: byHost ?? null };
  }
  return callerFromClaims(await deps.verifyToken(token), named ?? null, deps.provinces);
}

async function callerFromClaims(claims: TokenClaims, named: ProvinceRef | null, provinces: ProvinceDirectory): Promise<Caller> {
  const claimed = claims.province ? await provinces.findById(claims.province) : null;
  if (claims.province && !claimed) {
    throw new AppError(ErrorCode.PROVINCE_NOT_FOUND, 'Tỉnh/thành phố ghi trong mã xác thực không tồn tại.');
  }
  if (claimed && named && named.id !== claimed.id) {
    throw new AppError(ErrorCode.FORBIDDEN, `Tài khoản thuộc ${claimed.name}, không được thao tác tại ${named.name}.`);
  }
  const roles = claims.roles;
  if (roles.includes('platform_admin')) return { kind: 'platformAdmin', subject: claims.sub, province: claimed ?? named };
  if (roles.includes('ministry')) return { kind: 'ministry', subject: claims.sub, province: null };
  if (!claimed) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Mã xác thực không ghi tỉnh/thành phố của tài khoản.');
  if (roles.includes('official')) {
    const backOffice = roles.filter((role) => role !== 'official' && role !== 'citizen').map((role) => role.toUpperCase());
    return {
      kind: 'official',
      subject: claims.sub,
      province: claimed,
      agencyCode: claims.agency ?? null,
      roles: backOffice as BackOfficeRole[],
    };
  }
  return { kind: 'citizen', subject: claims.sub, province: claimed };
}

/** The settings every context carries from the configuration, HTTP, WebSocket and subscription alike. */
const settingsOf = (config: Config): Pick<Context, 'trackingLimits' | 'statisticsFreshMs'> => ({
  trackingLimits: { perClient: config.TRACKING_FAILURES_PER_CLIENT, perProvince: config.TRACKING_FAILURES_PER_PROVINCE },
  statisticsFreshMs: config.STATISTICS_FRESH_SECONDS * 1000,
});

const requestIdOf = (credentials: RequestCredentials) =>
  credentials.requestId && /^[\w-]{1,64}$/.test(credentials.requestId) ? credentials.requestId : crypto.randomUUID();

export async function openContext(deps: ContextDependencies, credentials: RequestCredentials): Promise<OpenedContext> {
  const requestId = requestIdOf(credentials);
  const caller = await identifyCaller(deps, credentials);
  const province = caller.province;
  const transaction = await openRequestTransaction(deps.prisma, province?.id ?? null, deps.config.REQUEST_TIMEOUT_MS);
  const log = deps.logger.child({ requestId, province: province?.slug ?? null, caller: caller.kind });
  const db = transaction.db;
  return {
    context: {
      requestId,
      caller,
      province,
      db,
      transact: (fn) => fn(db),
      events: deps.events,
      clientAddress: credentials.clientAddress ?? 'unknown',
      ...settingsOf(deps.config),
      provinces: deps.provinces,
      log,
    },
    finish: transaction.finish,
  };
}

const noRequestTransaction = new Proxy({} as Db, {
  get() {
    throw new Error('subscriptions have no request transaction: use ctx.transact');
  },
});

/** A context for a subscription: the caller is identified once; each event gets its own transaction. */
export async function openSubscriptionContext(deps: ContextDependencies, credentials: RequestCredentials): Promise<Context> {
  const requestId = requestIdOf(credentials);
  const caller = await identifyCaller(deps, credentials);
  const province = caller.province;
  const transact = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    const transaction = await openRequestTransaction(deps.prisma, province?.id ?? null, deps.config.REQUEST_TIMEOUT_MS);
    try {
      const result = await fn(transaction.db);
      await transaction.finish('commit');
      return result;
    } catch (error) {
      await transaction.finish('rollback');
      throw error;
    }
  };
  return {
    requestId,
    caller,
    province,
    db: noRequestTransaction,
    transact,
    events: deps.events,
    clientAddress: credentials.clientAddress ?? 'unknown',
    ...settingsOf(deps.config),
    provinces: deps.provinces,
    log: deps.logger.child({ requestId, province: province?.slug ?? null, caller: caller.kind, subscription: true }),
  };
}
