// Opens the database: a real PostgreSQL server when a URL is given, else the embedded PGlite.
// `begin` opens the unit of work's transactions (src/db/unit-of-work.ts is its one caller). The Prisma
// client made here is the raw one, outside any transaction: for owner tasks' checks and tests.
import fs from 'node:fs';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client';
import type { SqlConnection } from './migrator';
import { lockFolder } from './folder-lock';
import { HandOver, openPgTransaction, withHandOver } from './pg-transaction';
import { openPrismaTransaction } from './prisma-transaction';
import type { OpenTransaction, TransactionScope } from './unit-of-work';
import { withStatementsInLine } from './statements-in-line';

export type DatabaseKind = 'postgres' | 'pglite';

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** Opens a transaction in `scope`; callers go through openTransaction / inTransaction. */
  begin(scope: TransactionScope): Promise<OpenTransaction>;
  /** Runs `fn` on one dedicated connection (migrations, statement-level checks). */
  withConnection<T>(fn: (connection: SqlConnection) => Promise<T>): Promise<T>;
  /** LISTENs on a channel on a connection of its own; NOTIFYs from any process arrive at `onMessage`. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<Listener>;
  close(): Promise<void>;
  /** The pool's connections now (metrics); PGlite has no pool. */
  poolStats?(): PoolStats;
}

export interface PoolStats {
  total: number;
  idle: number;
  /** Requests waiting for a connection. */
  waiting: number;
}

export interface Listener {
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]*$/;

// 'minimal': Prisma otherwise captures a stack trace on every call, to point its own error messages
// at the caller's line (about 4 % of the API's CPU on a short query); our errors keep their stacks.
const PRISMA_OPTIONS = { errorFormat: 'minimal' } as const;

function assertChannel(channel: string) {
  if (!CHANNEL.test(channel)) throw new Error(`invalid channel name: ${channel}`);
}

/**
 * A LISTEN connection that comes back by itself: if the server drops it, it reconnects after a
 * second. Notifications sent while it was away are lost (NOTIFY keeps no backlog); subscribers see
 * current state on their next event.
 */
async function listenOnPostgres(connectionString: string, channel: string, onMessage: (payload: string) => void): Promise<Listener> {
  assertChannel(channel);
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  const connect = async () => {
    const next = new pg.Client({ connectionString });
    next.on('notification', (message) => {
      if (message.channel === channel) onMessage(message.payload ?? '');
    });
    next.on('error', () => {
      if (closed) return;
      next.end().catch(() => undefined);
      retry = setTimeout(() => void connect().catch(() => undefined), 1000);
    });
    await next.connect();
    await next.query(`LISTEN ${channel}`);
    client = next;
  };
  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}

export interface PostgresOptions {
  poolSize?: number;
  /** Sees every statement sent to the server (tests count them). */
  onStatement?: (sql: string) => void;
}

export function openPostgres(connectionString: string, options: PostgresOptions = {}): Database {
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 10 });
  // An idle connection that the server drops (restart, failover) is reported here; without a
  // listener it would crash the process. The pool opens a new connection for the next query.
  pool.on('error', () => undefined);
  const { onStatement } = options;
  if (onStatement) {
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        const first = args[0] as string | { text: string };
        onStatement(typeof first === 'string' ? first : first.text);
        return query(...args);
      };
    });
  }
  // Two clients on one pool: the units of work's, whose transactions are only those handed over
  // (pg-transaction.ts), and the raw one, outside any unit of work (Prisma may begin transactions of
  // its own for a write), made when first used: the server itself never uses it.
  const handOver = new HandOver();
  const units = new PrismaClient({ ...PRISMA_OPTIONS, adapter: withHandOver(new PrismaPg(pool), handOver) });
  let raw: PrismaClient | null = null;
  return {
    kind: 'postgres',
    get prisma() {
      return (raw ??= new PrismaClient({ ...PRISMA_OPTIONS, adapter: withStatementsInLine(new PrismaPg(pool)) }));
    },
    begin: (scope) => openPgTransaction(pool, units, handOver, scope),
    async withConnection(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          exec: async (sql) => void (await client.query(sql)),
          query: async (sql, params) => (await client.query(sql, params)).rows,
        });
      } finally {
        client.release();
      }
    },
    listen: (channel, onMessage) => listenOnPostgres(connectionString, channel, onMessage),
    async close() {
      await units.$disconnect();
      await raw?.$disconnect();
      await pool.end().catch(() => undefined);
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}

export async function openPglite(dataDir: string): Promise<Database> {
  fs.mkdirSync(dataDir, { recursive: true }); // PGlite does not create missing parents (.data/ on a fresh checkout)
  const lock = lockFolder(dataDir); // one process per folder: PGlite would let a second one write to a copy
  const pglite = await PGlite.create(dataDir).catch((error: unknown) => {
    lock.release();
    throw error;
  });
  const prisma = new PrismaClient({ ...PRISMA_OPTIONS, adapter: withStatementsInLine(new PrismaPGlite(pglite)) });
  const connection: SqlConnection = {
    exec: async (sql) => void (await pglite.exec(sql)),
    query: async <Row>(sql: string, params?: unknown[]) => (await pglite.query<Row>(sql, params)).rows,
  };
  return {
    kind: 'pglite',
    prisma,
    // PGlite runs one transaction at a time in one session: Prisma's own transactions serve.
    begin: (scope) => openPrismaTransaction(prisma, scope),
    withConnection: (fn) => fn(connection),
    async listen(channel, onMessage) {
      assertChannel(channel);
      const unsubscribe = await pglite.listen(channel, onMessage);
      return { close: () => unsubscribe() };
    },
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      lock.release();
    },
  };
}
