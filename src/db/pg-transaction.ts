// A unit of work's transaction on PostgreSQL, driven with as few round trips as the protocol allows:
// BEGIN and the scope's settings go as one message, then the operation's statements, then COMMIT
// (checked: an aborted transaction answers COMMIT with ROLLBACK, and that is a failure). Prisma gets
// the same connection: its interactive transaction is handed this one instead of beginning its own
// (an AsyncLocalStorage carries the connection from `$transaction` to the adapter's startTransaction,
// nothing more), and `sql` sends hand-written statements on it. Statements of one transaction go
// one at a time: sibling resolvers run concurrently, and pg 9 refuses overlapping queries.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import type { PrismaClient } from '../generated/prisma/client';
import { poolExhausted } from './database-errors';
import { holdPrismaTransaction } from './prisma-transaction';
import { PRISMA_TYPES, type Sql, type Statement } from './sql';
import { inLine } from './statements-in-line';
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

interface Connection {
  line: Line;
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
    connection = { line, handed };
    connections.set(client, connection);
  }
  return connection;
}

const handOver = new AsyncLocalStorage<Transaction>();

/**
 * Prisma's pg adapter, except that a transaction started inside `handOver.run(t, ...)` is `t`. Any
 * other (a script's own `$transaction`) is begun by the adapter as usual, its statements in line.
 */
export function withHandOver(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      const startTransaction = adapter.startTransaction.bind(adapter);
      adapter.startTransaction = async (isolationLevel) => handOver.getStore() ?? inLine(await startTransaction(isolationLevel));
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

export async function openPgTransaction(pool: pg.Pool, prisma: PrismaClient, scope: TransactionScope): Promise<OpenTransaction> {
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
    release(error as Error); // a connection that failed here is not trusted again
    throw error;
  }
  const { line, handed } = connection;
  let prismaSide;
  try {
    prismaSide = await holdPrismaTransaction(prisma, scope, (run) => handOver.run(handed, run));
  } catch (error) {
    await line.query('ROLLBACK').then(() => release(), (failure: Error) => release(failure));
    throw error;
  }

  const sql: Sql = {
    async rows<Row>(statement: Statement | string, values: readonly unknown[] = []) {
      const { name, text } = typeof statement === 'string' ? { name: undefined, text: statement } : statement;
      return (await line.query({ name, text, values: values as unknown[], types: PRISMA_TYPES })).rows as Row[];
    },
  };

  let ended = false;
  return {
    db: prismaSide.db,
    sql,
    async commit() {
      if (ended) return;
      ended = true;
      try {
        await prismaSide.release('commit');
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
      await prismaSide.release('rollback');
      await line.query('ROLLBACK').then(() => release(), (failure: Error) => release(failure));
    },
  };
}
