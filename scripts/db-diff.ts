// npm run db:diff -- <name>: after editing prisma/schema.prisma, writes the next migration.
// It applies the existing migrations to a scratch database on a real PostgreSQL server
// (DIFF_SERVER_URL, default postgresql://postgres@127.0.0.1:5432), asks Prisma's wasm schema engine
// for the SQL that brings it to the schema, and saves that as prisma/migrations/<stamp>_<name>.
// Grants and row-level security for new tenant-owned tables are yours to append (see the first migration).
import fs from 'node:fs';
import path from 'node:path';
import { diffDatabaseToSchema } from '../src/db/schema-engine';
import { migrationsDir } from '../src/db/migrator';
import { createScratchDatabase } from '../src/db/scratch-database';

async function main() {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error('Usage: npm run db:diff -- <snake_case_name>');
    process.exit(1);
  }
  const scratch = await createScratchDatabase('egov_diff', process.env.DIFF_SERVER_URL);
  try {
    const sql = await diffDatabaseToSchema(scratch.ownerUrl);
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
    await scratch.drop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
