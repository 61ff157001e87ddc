// npm start: the API on PostgreSQL (DATABASE_URL) or, when none is set, on an embedded PGlite that
// is migrated and seeded with the demo provinces on first start.
import { ConfigError, loadConfig, type Config } from './config';
import { openPglite, openPostgres, type Database } from './db/database';
import { migrate, pendingMigrations } from './db/migrator';
import { APP_ROLE } from './db/tenant-scope';
import { createLogger, type Logger } from './logger';
import { startServer } from './server';
import { startJobRunner } from './jobs/job-runner';
import { tasksOf } from './kernel/module';
import { MODULES } from './modules';
import { seedDemoProvinces } from '../prisma/seed';

async function openEmbedded(config: Config, logger: Logger): Promise<Database> {
  logger.info(`No DATABASE_URL set: using embedded PostgreSQL (PGlite) in ${config.PGLITE_DATA_DIR}`);
  const database = await openPglite(config.PGLITE_DATA_DIR);
  const applied = await database.withConnection((connection) => migrate(connection));
  if (applied.length) logger.info(`Applied migrations: ${applied.join(', ')}`);
  if (config.SEED_DEMO === 'true' && (await database.prisma.tenant.count()) === 0) {
    logger.info('Seeding the demo provinces (first start only; takes a few seconds)');
    await seedDemoProvinces(database, (line) => logger.info(line));
  }
  return database;
}

// Row-level security does not bind superusers or BYPASSRLS roles, so the server refuses to run as one.
async function openServerDatabase(url: string, config: Config, logger: Logger): Promise<Database> {
  const database = openPostgres(url, { poolSize: config.DATABASE_POOL_SIZE });
  const [role] = await database.withConnection((connection) =>
    connection.query<{ name: string; unsafe: boolean }>(`SELECT rolname AS name, (rolsuper OR rolbypassrls) AS unsafe FROM pg_roles WHERE rolname = current_user`),
  );
  if (role?.unsafe) {
    await database.close();
    throw new ConfigError(
      `Invalid configuration: DATABASE_URL logs in as "${role.name}", which bypasses row-level security; ` +
        `connect as ${APP_ROLE} and give the owner's URL in MIGRATION_DATABASE_URL`,
    );
  }
  const pending = await database.withConnection((connection) => pendingMigrations(connection));
  if (pending.length) logger.warn(`Migrations pending (run npm run db:migrate): ${pending.join(', ')}`);
  return database;
}

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, { pretty: config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && process.stdout.isTTY) });
  const database = config.DATABASE_URL
    ? await openServerDatabase(config.DATABASE_URL, config, logger)
    : await openEmbedded(config, logger);
  const server = await startServer({ config, database, logger });
  logger.info(`GraphQL API at http://localhost:${server.port}/graphql (HTTP and WebSocket)`);
  const tasks = tasksOf(MODULES, server.platform);
  const jobs = Object.keys(tasks).length
    ? await startJobRunner({
        database,
        connectionString: config.DATABASE_URL,
        logger: logger.child({ worker: 'jobs' }),
        tasks,
        concurrency: config.JOB_CONCURRENCY,
        pollMs: config.SYNC_POLL_MS,
      })
    : null;
  if (!config.NATIONAL_PORTAL_URL) logger.info('NATIONAL_PORTAL_URL not set: status changes wait in the outbox (portalSyncRecords)');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: draining requests and closing`);
    await jobs?.stop();
    await server.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
