// A unit of work's transaction on PostgreSQL, driven with as few round trips as the protocol allows:
// BEGIN and the scope's settings go as one message, then the operation's statements, then COMMIT
// (checked: an aborted transaction answers COMMIT with ROLLBACK, and that is a failure). Prisma gets
// the same connection, at its first call only: its interactive transaction is handed this one
// instead of beginning its own (see HandOver). `sql` sends hand-written statements on it. Statements
// of one transaction go one at a time: sibling resolvers run concurrently, and pg 9 refuses
// overlapping queries.
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import type { PrismaClient } from '../generated/prisma/client';
import { poolExhausted } from './database-errors';
import { holdPrismaTransaction, lazyTransactionClient, type HeldPrismaTransaction } from './prisma-transaction';
import { PRISMA_TYPES, type Sql, type Statement } from './sql';
import { beginStatement, type TransactionScope } from './scope';
import type { OpenTransaction } from './unit-of-work';

/** One connection's statements, one after another, in the order asked for. */
class Line {
  private last: Promise<unknown> = Promise.resolve();
  constructor(readonly client: pg.PoolClient) {}

  query(config: pg.QueryConfig | string): Promise<pg.QueryResult> {
    const next = this.last.then(() => this.client.query(config as pg.QueryConfig));
    this.last = next.catch(() => undefined); // a failed statement does not stop the ones behind it
    return next;
  }
}

/** What Prisma's pg adapter takes for a pool, answering every query on one connection's line. */
class LineAsPool extends pg.Pool {
  constructor(private readonly line: Line) {
    super();
  }
  // The adapter calls query(config) only; pg.Pool's overloads are more than it needs.
  override query = ((config: pg.QueryConfig) => this.line.query(config)) as unknown as pg.Pool['query'];
}

/**
 * Prepared statements one connection keeps at most: the hot paths' handful, with room for the shapes
 * clients select. Past it a statement goes unnamed (parsed each time), so that no caller can make a
 * server backend hold an unbounded number of plans.
 */
export const PREPARED_PER_CONNECTION = 200;

interface Connection {
  line: Line;
  /** Names prepared on this connection so far. */
  prepared: Set<string>;
  /** Prisma's side of it: a transaction that was begun already and is committed by us. */
  handed: Transaction;
}

const connections = new WeakMap<pg.PoolClient, Connection>();

async function connectionOf(client: pg.PoolClient): Promise<Connection> {
  let connection = connections.get(client);
  if (!connection) {
    const line = new Line(client);
    const adapter: SqlDriverAdapter = await new PrismaPg(new LineAsPool(line)).connect();
    const handed: Transaction = {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      // "phantom": Prisma sends no COMMIT or ROLLBACK of its own; openPgTransaction does.
      options: { usePhantomQuery: true },
      queryRaw: (query) => adapter.queryRaw(query),
      executeRaw: (query) => adapter.executeRaw(query),
      commit: async () => undefined,
      rollback: async () => undefined,
    };
    connection = { line, handed, prepared: new Set() };
    connections.set(client, connection);
  }
  return connection;
}

/**
 * How a `prisma.$transaction` call gets the connection the unit of work began: the calls take turns,
 * and the adapter's startTransaction takes the turn's connection. One start is in flight at a time
 * (the time from the call to the adapter, a few microtasks), so the connection cannot go to another
 * start. AsyncLocalStorage would carry it too, but on Node 20 it turns on promise hooks for every
 * promise of the process (about 4 % of a request's CPU).
 */
export class HandOver {
  private last: Promise<void> = Promise.resolve();
  private pending: { transaction: Transaction; taken: () => void } | null = null;

  /** Runs `start` (a `$transaction` call) in its turn, with `transaction` waiting for the adapter. */
  async run<T>(transaction: Transaction, start: () => Promise<T>): Promise<T> {
    const previous = this.last;
    let taken!: () => void;
    this.last = new Promise<void>((resolve) => (taken = resolve));
    await previous;
    this.pending = { transaction, taken };
    const started = start();
    // A call that fails before reaching the adapter (it never does today) must not keep the turn.
    started.catch(() => this.pending?.transaction === transaction && this.take());
    return started;
  }

  /** The turn's connection, for the adapter; null when no unit of work is starting one. */
  take(): Transaction | null {
    const pending = this.pending;
    if (!pending) return null;
    this.pending = null;
    pending.taken();
    return pending.transaction;
  }
}

/**
 * Prisma's pg adapter whose transactions are only those the unit of work begins and hands over:
 * every transaction on PostgreSQL goes through openTransaction (the Database), so this client's
 * `$transaction` called any other way is refused rather than begun without a scope.
 */
export function withHandOver(factory: SqlDriverAdapterFactory, handOver: HandOver): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      adapter.startTransaction = async () => {
        const handed = handOver.take();
        if (!handed) throw new Error('transactions on PostgreSQL are opened by the unit of work: openTransaction(database, scope)');
        return handed;
      };
      return adapter;
    },
  };
}

/** A pooled connection within `ms`, or SERVICE_UNAVAILABLE; one that arrives late goes back to the pool. */
function connectWithin(pool: pg.Pool, ms: number): Promise<pg.PoolClient> {
  return new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(poolExhausted());
    }, ms);
    pool.connect().then(
      (client) => (late ? client.release() : (clearTimeout(timer), resolve(client))),
      (error: unknown) => (late ? undefined : (clearTimeout(timer), reject(error))),
    );
  });
}

export async function openPgTransaction(pool: pg.Pool, prisma: PrismaClient, handOver: HandOver, scope: TransactionScope): Promise<OpenTransaction> {
  const client = await connectWithin(pool, scope.timeoutMs);
  let released = false;
  // A failure the server answered (it has a SQLSTATE) leaves the connection usable; any other may not.
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    client.release(error && !/^[0-9A-Z]{5}$/.test(String((error as { code?: unknown }).code)) ? error : undefined);
  };
  let connection: Connection;
  try {
    connection = await connectionOf(client);
    await connection.line.query(beginStatement(scope));
  } catch (error) {
    release(error as Error); // kept only if the server answered the failure (see release)
    throw error;
  }
  const { line, handed, prepared } = connection;
  // Prisma's side of the connection, held at its first call (lazyTransactionClient), with what is
  // left of the scope's time: Prisma's timeout still falls when it would have from BEGIN.
  const deadline = Date.now() + scope.timeoutMs;
  let prismaSide: Promise<HeldPrismaTransaction> | null = null;
  const holdPrisma = () =>
    (prismaSide ??= holdPrismaTransaction(prisma, { ...scope, timeoutMs: Math.max(1, deadline - Date.now()) }, (run) => handOver.run(handed, run)));

  const sql: Sql = {
    async rows<Row>(statement: Statement | string, values: readonly unknown[] = []) {
      const { text } = typeof statement === 'string' ? { text: statement } : statement;
      let name = typeof statement === 'string' ? undefined : statement.name;
      if (name && !prepared.has(name)) {
        if (prepared.size < PREPARED_PER_CONNECTION) prepared.add(name);
        else name = undefined;
      }
      return (await line.query({ name, text, values: values as unknown[], types: PRISMA_TYPES })).rows as Row[];
    },
  };

  let ended = false;
  return {
    db: lazyTransactionClient(() => holdPrisma().then((held) => held.db)),
    sql,
    async commit() {
      if (ended) return;
      ended = true;
      try {
        if (prismaSide) await (await prismaSide).release('commit');
      } catch (error) {
        await line.query('ROLLBACK').then(() => release(), (failure: Error) => release(failure));
        throw error;
      }
      let result: pg.QueryResult;
      try {
        result = await line.query('COMMIT');
      } catch (error) {
        // A COMMIT that fails (a deferred constraint, the connection lost) wrote nothing.
        release(error as Error);
        throw error;
      }
      release();
      // After a failed statement PostgreSQL answers COMMIT by rolling back.
      if (result.command !== 'COMMIT') throw new Error(`the transaction was not committed: COMMIT answered ${result.command}`);
    },
    async rollback() {
      if (ended) return;
      ended = true;
      if (prismaSide) await prismaSide.then((held) => held.release('rollback'), () => undefined);
      await line.query('ROLLBACK').then(() => release(), (failure: Error) => release(failure));
    },
  };
}
