// npm run db:migrate: applies prisma/migrations to MIGRATION_DATABASE_URL (or DATABASE_URL), or to
// the embedded database when neither is set.
import { loadConfig } from '../src/config';
import { openOwnerDatabase } from '../src/db/owner';
import { migrate } from '../src/db/migrator';

async function main() {
  const config = loadConfig();
  const database = await openOwnerDatabase(config);
  try {
    const applied = await database.withConnection((connection) => migrate(connection));
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
