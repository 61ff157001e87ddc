// Opens the database: a real PostgreSQL server when a URL is given, else the embedded PGlite.
// The Prisma client made here is the raw one: only request-transaction.ts (for the API) and the
// owner tasks (migrations, onboarding, seeds) may use it.
import fs from 'node:fs';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client';
import type { SqlConnection } from './migrator';

export type DatabaseKind = 'postgres' | 'pglite';

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** Runs `fn` on one dedicated connection (migrations, statement-level checks). */
  withConnection<T>(fn: (connection: SqlConnection) => Promise<T>): Promise<T>;
  close(): Promise<void>;
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
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: 'postgres',
    prisma,
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
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}

export async function openPglite(dataDir: string): Promise<Database> {
  fs.mkdirSync(dataDir, { recursive: true }); // PGlite does not create missing parents (.data/ on a fresh checkout)
  const pglite = await PGlite.create(dataDir);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const connection: SqlConnection = {
    exec: async (sql) => void (await pglite.exec(sql)),
    query: async <Row>(sql: string, params?: unknown[]) => (await pglite.query<Row>(sql, params)).rows,
  };
  return {
    kind: 'pglite',
    prisma,
    withConnection: (fn) => fn(connection),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
