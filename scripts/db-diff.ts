// npm run db:diff -- <name>: after editing prisma/schema.prisma, writes the next migration.
// It applies the existing migrations to a scratch database on a real PostgreSQL server
// (DIFF_SERVER_URL, default postgresql://postgres@127.0.0.1:5432), asks Prisma's wasm schema engine
// for the SQL that brings it to the schema, and saves that as prisma/migrations/<stamp>_<name>.
// Grants and row-level security for new tenant-owned tables are yours to append (see the first migration).
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { diffDatabaseToSchema } from '../src/db/schema-engine';
import { migrate, migrationsDir } from '../src/db/migrator';

async function main() {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error('Usage: npm run db:diff -- <snake_case_name>');
    process.exit(1);
  }
  const serverUrl = new URL(process.env.DIFF_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  const scratch = `egov_diff_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${scratch}"`);
  const scratchUrl = new URL(serverUrl);
  scratchUrl.pathname = `/${scratch}`;
  try {
    const client = new pg.Client({ connectionString: scratchUrl.toString() });
    await client.connect();
    await migrate({ exec: async (sql) => void (await client.query(sql)), query: async (sql, params) => (await client.query(sql, params)).rows });
    await client.end();
    const sql = await diffDatabaseToSchema(scratchUrl.toString());
    if (!sql.trim()) {
      console.log('prisma/schema.prisma and the migrations agree: nothing to write.');
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${name}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
    console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql — review it, add grants and RLS policies, commit.`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
