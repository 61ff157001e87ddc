import type { Config } from '../config';
import { openPglite, openPostgres, type Database } from './database';

/** The owner's connection (migrations, onboarding, seeds): MIGRATION_DATABASE_URL, DATABASE_URL or PGlite. */
export function openOwnerDatabase(config: Config): Promise<Database> {
  const url = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL;
  return url ? Promise.resolve(openPostgres(url, { poolSize: 2 })) : openPglite(config.PGLITE_DATA_DIR);
}
