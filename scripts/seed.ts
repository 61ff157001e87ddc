// npm run db:seed: the demo provinces, into MIGRATION_DATABASE_URL, DATABASE_URL or the embedded database.
import { main } from '../prisma/seed';

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
