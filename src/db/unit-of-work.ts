// The one unit of work: every transaction the platform opens (a GraphQL operation, a subscription
// event, a background job, onboarding, a seed, a script) is opened by `openTransaction` here, scoped
// to a role and a province, with a time limit, and ends by an explicit commit or rollback. A commit
// that fails is an error for the caller: nobody is told "done" for a write that did not commit.
import type { Database } from './database';
import { databaseFailure } from './database-errors';
import type { TransactionScope } from './scope';
import type { Sql } from './sql';
import type { Db } from './tenant-scope';

export type { TransactionScope } from './scope';

export interface OpenTransaction {
  /** Prisma, bound to this transaction: the schema's models, writes, most reads. */
  db: Db;
  /** Hand-written SQL on the same transaction, for hot reads (src/db/sql.ts). */
  sql: Sql;
  /** Commits; rejects if the commit (or anything before it) failed: then nothing was written. */
  commit(): Promise<void>;
  /** Rolls back; never rejects. Safe after commit (does nothing). */
  rollback(): Promise<void>;
}

/**
 * Where transactions come from: the Database, which begins them its own best way (on PostgreSQL one
 * round trip, see pg-transaction.ts; on PGlite Prisma's own, see prisma-transaction.ts).
 */
export type TransactionSource = Pick<Database, 'begin'>;

/** Opens a transaction; the caller must end it with commit() or rollback() on every path. */
export async function openTransaction(source: TransactionSource, scope: TransactionScope): Promise<OpenTransaction> {
  try {
    return await source.begin(scope);
  } catch (error) {
    throw databaseFailure(error);
  }
}

/** Runs `fn` in a transaction of its own: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(source: TransactionSource, scope: TransactionScope, fn: (db: Db, sql: Sql) => Promise<T>): Promise<T> {
  const transaction = await openTransaction(source, scope);
  let result: T;
  try {
    result = await fn(transaction.db, transaction.sql);
  } catch (error) {
    await transaction.rollback();
    throw databaseFailure(error);
  }
  await transaction.commit();
  return result;
}
