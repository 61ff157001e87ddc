// The one context every caller acts through: an HTTP or WebSocket operation, a subscription event,
// a background job or a script (`systemContext`). Services take it first: `fn(ctx, input)`. It
// carries who calls, for which province, the instant the work is judged at, and the unit of work's
// transaction. This file imports no module: modules reach their settings and services through
// `ctx.platform`, declared in src/kernel/module.ts.
import crypto from 'node:crypto';
import type { Database } from '../db/database';
import type { Sql } from '../db/sql';
import type { Db } from '../db/tenant-scope';
import { inTransaction, openTransaction, type OpenTransaction, type TransactionScope } from '../db/unit-of-work';
import type { Logger } from '../logger';
import type { ModuleServices } from '../kernel/module';
import type { Config } from '../config';
import type { Caller, ProvinceRef } from './caller';
import type { ProvinceDirectory } from './province-directory';

/** What lives as long as the process: shared by every context. */
export interface Platform {
  /** Transactions come from here (`database.begin`, through the unit of work); its `prisma` is outside any. */
  database: Database;
  config: Config;
  provinces: ProvinceDirectory;
  /** Each module's long-lived parts (event hubs, ...), started by main.ts / startServer. */
  services: ModuleServices;
  logger: Logger;
  /** The time source: tests fix it instead of depending on today's date. */
  clock: () => Date;
  /** Values shared by this server's requests for a short while: see acrossRequests in src/kernel/per-context.ts. */
  shared: Map<unknown, unknown>;
}

export interface Context {
  requestId: string;
  caller: Caller;
  /** The province the work acts in; null only for callers that act in none (ministries, anonymous without X-Province). */
  province: ProvinceRef | null;
  /**
   * The instant the whole operation is judged at ("overdue", "today", stamps): when its unit of work
   * began (after any wait for a connection slot), so that moves are stamped in the order they ran.
   */
  now: Date;
  /** The unit of work's transaction: row-level security limits it to `province`. */
  db: Db;
  /** The same transaction, for hand-written SQL on hot read paths (src/db/sql.ts). */
  sql: Sql;
  /**
   * Writes that must stand whatever becomes of the operation (a failed-attempt counter must count even
   * when another field fails and the operation rolls back): `fn` runs in a short transaction of its
   * own once the operation's transaction has ended, before the answer leaves. It never holds a second
   * connection while the operation holds one, so a flood of such operations cannot starve the pool.
   */
  afterWork(fn: (db: Db) => Promise<void>): void;
  /** The client's address as the server sees it (rate limits); "system" for background work. */
  clientAddress: string;
  /** Values computed once per context (the caller's agency, ...): see src/kernel/per-context.ts. */
  memo: Map<unknown, unknown>;
  platform: Platform;
  log: Logger;
}

/** A context whose province is known: what province-scoped fields and services receive. */
export type ProvinceContext = Context & { province: ProvinceRef };

/** The transaction of one unit of work, opened when it is first needed and ended exactly once. */
export class UnitOfWork {
  private transaction: OpenTransaction | null = null;
  private opening: Promise<OpenTransaction> | null = null;
  private ended = false;
  private ending = false;
  private readonly commitHooks: (() => Promise<void>)[] = [];
  private readonly endHooks: ((outcome: 'committed' | 'rolled back') => Promise<void>)[] = [];

  /** When the transaction began, by the platform's clock; null before. */
  began: Date | null = null;

  constructor(
    private readonly database: Database,
    readonly scope: TransactionScope,
    private readonly clock: () => Date,
  ) {}

  async begin(): Promise<void> {
    if (this.ending) throw new Error('unit of work already ended');
    this.opening ??= openTransaction(this.database, this.scope);
    this.transaction = await this.opening;
    this.began ??= this.clock();
  }

  private get open(): OpenTransaction {
    if (!this.transaction || this.ended) throw new Error('no open transaction: the operation did not begin its unit of work');
    return this.transaction;
  }

  get db(): Db {
    return this.open.db;
  }

  get sql(): Sql {
    return this.open.sql;
  }

  /** Runs `fn` in the transaction just before it commits (an audit entry commits with the change or not at all); if it throws, nothing commits. */
  beforeCommit(fn: () => Promise<void>): void {
    this.commitHooks.push(fn);
  }

  /**
   * Runs `fn` once the transaction has ended, told how; what it writes goes through
   * `inOwnTransaction` (the operation's connection is released by then). If it throws, end() rejects.
   */
  afterEnd(fn: (outcome: 'committed' | 'rolled back') => Promise<void>): void {
    this.endHooks.push(fn);
  }

  /** A short transaction of its own, in the same scope: for the afterEnd hooks. */
  inOwnTransaction<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return inTransaction(this.database, this.scope, fn);
  }

  /**
   * Runs the commit hooks in the transaction, then commits (rejecting if the commit fails) or rolls
   * back, then runs the afterEnd hooks (rejecting if one fails). A second call does nothing.
   */
  async end(outcome: 'commit' | 'rollback'): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    const transaction = this.transaction ?? (this.opening ? await this.opening.catch(() => null) : null);
    let committing = outcome === 'commit';
    // What actually happened, for the afterEnd hooks: a commit that fails wrote nothing.
    let reached: 'committed' | 'rolled back' = 'rolled back';
    try {
      try {
        // The hooks still use the transaction: the operation loses it only after them.
        if (transaction && committing) for (const hook of this.commitHooks) await hook();
      } catch (error) {
        committing = false;
        throw error;
      } finally {
        this.ended = true;
        if (committing) {
          await transaction?.commit();
          reached = 'committed';
        } else await transaction?.rollback();
      }
    } finally {
      for (const hook of this.endHooks.splice(0)) await hook(reached);
    }
  }
}

/**
 * The context object. A class so that `db` reads the unit of work when used (Apollo copies the
 * context's own properties per operation; the getter stays on the prototype and the unit of work
 * is shared by reference).
 */
export class WorkContext implements Context {
  readonly memo = new Map<unknown, unknown>();
  readonly log: Logger;

  constructor(
    readonly platform: Platform,
    readonly requestId: string,
    readonly caller: Caller,
    readonly clientAddress: string,
    /** When the context was made: its `now` until the unit of work begins (admission counts by it). */
    private readonly created: Date,
    readonly work: UnitOfWork,
    log: Logger,
  ) {
    this.log = log;
  }

  get now() {
    return this.work.began ?? this.created;
  }

  get province() {
    return this.caller.province;
  }

  get db() {
    return this.work.db;
  }

  get sql() {
    return this.work.sql;
  }

  afterWork(fn: (db: Db) => Promise<void>): void {
    this.work.afterEnd(() => this.work.inOwnTransaction(fn));
  }
}

export const requestIdOf = (candidate: string | undefined) =>
  candidate && /^[\w-]{1,64}$/.test(candidate) ? candidate : crypto.randomUUID();

/**
 * The scope of a caller's transactions: the app role and the caller's province, or for a ministry its
 * own role, which cannot read personal data at all; the request time limit.
 */
export const scopeOf = (platform: Platform, caller: Caller): TransactionScope =>
  caller.kind === 'ministry'
    ? { tenantId: null, role: 'ministry', ministry: caller.subject, timeoutMs: platform.config.REQUEST_TIMEOUT_MS }
    : { tenantId: caller.province?.id ?? null, role: 'app', timeoutMs: platform.config.REQUEST_TIMEOUT_MS };

/** A context for one unit of work of an identified caller; its transaction opens at `work.begin()`. */
export function createContext(platform: Platform, identity: { requestId: string; caller: Caller; clientAddress: string }, extraLog: Record<string, unknown> = {}): WorkContext {
  const { requestId, caller, clientAddress } = identity;
  const log = platform.logger.child({ requestId, province: caller.province?.slug ?? null, caller: caller.kind, ...extraLog });
  return new WorkContext(platform, requestId, caller, clientAddress, platform.clock(), new UnitOfWork(platform.database, scopeOf(platform, caller), platform.clock), log);
}

/** Runs `fn` as one unit of work of `ctx`: its transaction committed when `fn` returns, rolled back when it throws. */
export async function runUnitOfWork<T>(ctx: WorkContext, fn: (ctx: WorkContext) => Promise<T>): Promise<T> {
  await ctx.work.begin();
  let result: T;
  try {
    result = await fn(ctx);
  } catch (error) {
    // The first failure is the one to report; a failure while ending after it goes to the log.
    await ctx.work.end('rollback').catch((ending: unknown) => ctx.log.error({ err: ending }, 'ending a failed unit of work failed'));
    throw error;
  }
  await ctx.work.end('commit');
  return result;
}

/**
 * Background work and scripts act as the system, in one province (or none), for a stated reason
 * that goes to the log: the same services, the same row-level security, one unit of work per call.
 */
export function systemContext<T>(platform: Platform, province: ProvinceRef, reason: string, fn: (ctx: ProvinceContext) => Promise<T>): Promise<T>;
export function systemContext<T>(platform: Platform, province: null, reason: string, fn: (ctx: Context) => Promise<T>): Promise<T>;
export function systemContext<T>(platform: Platform, province: ProvinceRef | null, reason: string, fn: (ctx: never) => Promise<T>): Promise<T> {
  const ctx = createContext(platform, { requestId: crypto.randomUUID(), caller: { kind: 'system', reason, province }, clientAddress: 'system' }, { reason });
  return runUnitOfWork(ctx, fn as (ctx: Context) => Promise<T>);
}
