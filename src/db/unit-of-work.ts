// The one unit of work: every transaction the platform opens (a GraphQL operation, a subscription
// event, a background job, onboarding, a seed, a script) is opened by `openTransaction` here, scoped
// to a role and a province, with a time limit, and ends by an explicit commit or rollback. A commit
// that fails is an error for the caller: nobody is told "done" for a write that did not commit.
import type { PrismaClient } from '../generated/prisma/client';
import { databaseFailure } from './database-errors';
import { APP_ROLE, type Db } from './tenant-scope';

export interface TransactionScope {
  /** The province whose rows the transaction sees (row-level security); null: none. */
  tenantId: string | null;
  /**
   * `app`: drops to egov_app, bound by row-level security (requests, events, jobs).
   * `owner`: keeps the owner's rights on shared tables (migrations, onboarding, seeds).
   */
  role: 'app' | 'owner';
  /** Longest the transaction may stay open, and any one statement or lock wait may take. */
  timeoutMs: number;
  /** Every statement sees the same moment (REPEATABLE READ): a long read that must be consistent. */
  snapshot?: boolean;
}

export interface OpenTransaction {
  db: Db;
  /** Commits; rejects if the commit (or anything before it) failed: then nothing was written. */
  commit(): Promise<void>;
  /** Rolls back; never rejects. Safe after commit (does nothing). */
  rollback(): Promise<void>;
}

const ROLLBACK = Symbol('rollback requested');

/**
 * One statement sets the role, the province and the time limits, all transaction-local (`true`), so a
 * pooled connection never carries them into the next transaction. The statement and lock limits
 * make a request that waits on someone else's lock fail at its deadline instead of holding its
 * connection until the lock is released; the idle limit ends a transaction somebody forgot.
 */
async function enterScope(tx: Db, scope: TransactionScope): Promise<void> {
  const ms = String(scope.timeoutMs);
  if (scope.role === 'app') {
    await tx.$queryRaw`SELECT set_config('role', ${APP_ROLE}, true), set_config('app.tenant_id', ${scope.tenantId ?? ''}, true),
      set_config('statement_timeout', ${ms}, true), set_config('lock_timeout', ${ms}, true),
      set_config('idle_in_transaction_session_timeout', ${ms}, true)`;
  } else {
    await tx.$queryRaw`SELECT set_config('app.tenant_id', ${scope.tenantId ?? ''}, true),
      set_config('statement_timeout', ${ms}, true), set_config('lock_timeout', ${ms}, true)`;
  }
}

/** Opens a transaction; the caller must end it with commit() or rollback() on every path. */
export function openTransaction(prisma: PrismaClient, scope: TransactionScope): Promise<OpenTransaction> {
  return new Promise((resolveOpened, rejectOpened) => {
    let decide!: (outcome: 'commit' | typeof ROLLBACK) => void;
    const decided = new Promise<'commit' | typeof ROLLBACK>((resolve) => (decide = resolve));
    let opened = false;

    // Prisma's interactive transaction commits when the callback returns and rolls back when it
    // throws; its `timeout` rolls back a transaction left open too long, and the commit then fails.
    const settled = prisma.$transaction(
      async (tx) => {
        await enterScope(tx, scope);
        opened = true;
        resolveOpened({ db: tx, commit, rollback });
        if ((await decided) === ROLLBACK) throw ROLLBACK;
      },
      { timeout: scope.timeoutMs, maxWait: scope.timeoutMs, isolationLevel: scope.snapshot ? 'RepeatableRead' : undefined },
    );
    settled.catch((error: unknown) => {
      if (!opened) rejectOpened(databaseFailure(error));
    });

    async function commit() {
      decide('commit');
      try {
        await settled;
      } catch (error) {
        throw databaseFailure(error);
      }
    }

    async function rollback() {
      decide(ROLLBACK);
      await settled.catch(() => undefined);
    }
  });
}

/** Runs `fn` in a transaction of its own: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(prisma: PrismaClient, scope: TransactionScope, fn: (db: Db) => Promise<T>): Promise<T> {
  const transaction = await openTransaction(prisma, scope);
  let result: T;
  try {
    result = await fn(transaction.db);
  } catch (error) {
    await transaction.rollback();
    throw databaseFailure(error);
  }
  await transaction.commit();
  return result;
}
