// Throw-away databases on a real PostgreSQL server (tests, db:diff, bench:rls): each has the
// migrations applied, is owned by the server's superuser and is reached by the API as egov_app.
import crypto from 'node:crypto';
import pg from 'pg';
import { migrate } from './migrator';

export const defaultServerUrl = 'postgresql://postgres@127.0.0.1:5432';

export interface ScratchDatabase {
  name: string;
  /** Owner connection (migrations, onboarding). */
  ownerUrl: string;
  /** Application connection, as egov_app: row-level security applies. */
  appUrl: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function appUrlFor(ownerUrl: string): string {
  const parsed = new URL(ownerUrl);
  parsed.username = 'egov_app';
  parsed.password = '';
  return parsed.toString();
}

async function admin<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createScratchDatabase(prefix: string, serverUrl = defaultServerUrl): Promise<ScratchDatabase> {
  const name = `${prefix}_${crypto.randomBytes(4).toString('hex')}`;
  await admin(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const ownerUrl = withDatabase(serverUrl, name);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await migrate({
      exec: async (sql) => void (await client.query(sql)),
      query: async (sql, params) => (await client.query(sql, params)).rows,
    });
  } finally {
    await client.end();
  }
  return {
    name,
    ownerUrl,
    appUrl: appUrlFor(ownerUrl),
    drop: () => admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
