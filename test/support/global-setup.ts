// One migrated, seeded database for the whole run: tests read the demo provinces and write rows of
// their own. Tests that need a pristine database make a scratch one (test-database.ts).
import { createTestDatabase } from './test-database';
import { openPostgres } from '../../src/db/database';
import { seedDemoProvinces } from '../../prisma/seed';

export default async function globalSetup() {
  const database = await createTestDatabase('egov_test_run');
  const owner = openPostgres(database.ownerUrl, { poolSize: 2 });
  try {
    await seedDemoProvinces(owner);
  } finally {
    await owner.close();
  }
  process.env.TEST_OWNER_URL = database.ownerUrl;
  process.env.TEST_APP_URL = database.appUrl;
  process.env.TEST_DATABASE_NAME = database.name;
  (globalThis as { __testDatabase?: typeof database }).__testDatabase = database;
}
