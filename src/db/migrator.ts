// Applies prisma/migrations in order and records them in `_prisma_migrations` the way Prisma Migrate
// does, so the Prisma CLI recognises the history. Plain SQL: works on PostgreSQL and PGlite alike,
// with no engine to download.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { installJobSchema } from '../jobs/job-runner';

export const migrationsDir = path.join(__dirname, '..', '..', 'prisma', 'migrations');

/** The little a migration needs from a connection; pg.Client and PGlite both fit behind it. */
export interface SqlConnection {
  exec(sql: string): Promise<void>;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = migrationsDir): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

const createHistoryTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

// Any constant will do: it keeps two processes from migrating the same database at once.
const MIGRATION_LOCK_KEY = 72_022_025;

/** Applies what is pending; returns the names applied. Refuses if an applied migration was edited. */
export async function migrate(connection: SqlConnection, migrations = readMigrations()): Promise<string[]> {
  await connection.exec(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
  try {
    await connection.exec(createHistoryTable);
    const applied = await connection.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const appliedChecksums = new Map(applied.map((row) => [row.migration_name, row.checksum]));
    const newlyApplied: string[] = [];
    for (const migration of migrations) {
      const checksum = appliedChecksums.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(`Migration ${migration.name} was edited after it was applied; add a new migration instead.`);
        }
        continue;
      }
      await connection.exec('BEGIN');
      try {
        await connection.exec(migration.sql);
        await connection.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 1)`,
          [crypto.randomUUID(), migration.checksum, migration.name],
        );
        await connection.exec('COMMIT');
      } catch (error) {
        await connection.exec('ROLLBACK');
        throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`);
      }
      newlyApplied.push(migration.name);
    }
    // The job runner's own schema, which graphile-worker migrates itself (a no-op when current).
    await installJobSchema(connection);
    return newlyApplied;
  } finally {
    await connection.exec(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
  }
}

/** Names of migrations in prisma/migrations that the database has not applied. */
export async function pendingMigrations(connection: SqlConnection, migrations = readMigrations()): Promise<string[]> {
  const rows = await connection
    .query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`)
    .catch(() => []);
  const applied = new Set(rows.map((row) => row.migration_name));
  return migrations.map((migration) => migration.name).filter((name) => !applied.has(name));
}
