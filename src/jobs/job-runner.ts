// The platform's job runner: the one place background work is scheduled and run. Built on
// graphile-worker, whose jobs live in PostgreSQL beside the data (schema graphile_worker), so a job is
// added in the same transaction as the change that needs it, and a rolled-back change schedules nothing.
//
// A job is locked by the worker that runs it until it finishes (graphile-worker frees a lock only
// after 4 hours, or when the worker shuts down cleanly): tasks must bound their own run time well
// below that. Jobs sharing a queue run one at a time, across every process.
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Pool } from 'pg';
import { Logger as WorkerLogger, run, runOnce, runMigrations, type JobHelpers, type Runner, type RunnerOptions, type TaskList } from 'graphile-worker';
import type { Database } from '../db/database';
import type { SqlConnection } from '../db/migrator';
import { APP_ROLE, type Db } from '../db/tenant-scope';
import type { Logger } from '../logger';

export const JOB_SCHEMA = 'graphile_worker';

export interface JobContext {
  /** Adds a job from inside a running job (a retry at a time of the task's choosing, a follow-up). */
  schedule(name: string, payload: object, options: ScheduleOptions): Promise<void>;
  signal: AbortSignal;
}

/** Throwing makes the runner retry the job later (graphile-worker's backoff, up to maxAttempts). */
export type JobTask = (payload: unknown, job: JobContext) => Promise<void>;
export type JobTasks = Record<string, JobTask>;

export interface ScheduleOptions {
  /** Jobs of one queue run one at a time, in order of runAt. Keep the number of queues small (not one per row). */
  queue?: string;
  /** At most one waiting job per key: scheduling again updates it (a running one is left to finish). */
  key?: string;
  runAt?: Date;
  /** With a key: keep the waiting job's time (a retry in backoff is not hurried by new work). */
  keepRunAt?: boolean;
  maxAttempts?: number;
}

/** Schedules a job inside the caller's transaction: it exists only if that transaction commits. */
export async function scheduleJob(db: Db, name: string, payload: object, options: ScheduleOptions = {}): Promise<void> {
  await db.$queryRaw`
    SELECT 1 FROM graphile_worker.add_job(
      identifier => ${name}, payload => ${JSON.stringify(payload)}::json, queue_name => ${options.queue ?? null},
      run_at => ${options.runAt ?? null}::timestamptz, max_attempts => ${options.maxAttempts ?? null}::int,
      job_key => ${options.key ?? null}, job_key_mode => ${options.keepRunAt ? 'preserve_run_at' : 'replace'})`;
}

// ---------------------------------------------------------------- the library's schema

/**
 * A pg.Pool look-alike over one connection, for graphile-worker's migrations (any database) and
 * its worker on the embedded PGlite, which has no socket to pool. Several statements in one text
 * (graphile-worker's migration files) go through exec.
 */
function poolOver(connection: SqlConnection): Pool {
  const client = Object.assign(new EventEmitter(), {
    async query(textOrConfig: string | { text: string; values?: unknown[] }, values?: unknown[]) {
      const text = typeof textOrConfig === 'string' ? textOrConfig : textOrConfig.text;
      const params = typeof textOrConfig === 'string' ? values : textOrConfig.values;
      if (!params?.length && text.trim().replace(/;$/, '').includes(';')) {
        await connection.exec(text);
        return { rows: [], rowCount: 0 };
      }
      const rows = await connection.query<Record<string, unknown>>(text, params);
      return { rows, rowCount: rows.length };
    },
    release() {},
  });
  const pool = Object.assign(new EventEmitter(), {
    connect(callback?: (error: Error | null, c?: typeof client, done?: () => void) => void) {
      if (callback) return void callback(null, client, () => undefined);
      return Promise.resolve(client);
    },
    query: client.query,
    async end() {},
  });
  // The connection belongs to the caller, who sees its errors.
  pool.on('error', () => undefined);
  pool.on('connect', () => undefined);
  return pool as unknown as Pool;
}

/** Installs or updates graphile-worker's schema (as the owner, at migrate) and lets the app role use it. */
export async function installJobSchema(connection: SqlConnection): Promise<void> {
  await runMigrations({ pgPool: poolOver(connection), schema: JOB_SCHEMA, logger: quiet });
  // The API schedules jobs in its own transactions as egov_app, and the worker runs as egov_app, so
  // the server never holds the owner's credentials. graphile-worker turns row-level security on for
  // its tables with no policy (owner only); the app role gets a policy of its own on each. Jobs carry
  // ids, never personal data; the rows they point at stay behind the tenant policies.
  await connection.exec(`
    GRANT USAGE ON SCHEMA ${JOB_SCHEMA} TO ${APP_ROLE};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${JOB_SCHEMA} TO ${APP_ROLE};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${JOB_SCHEMA} TO ${APP_ROLE};
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${JOB_SCHEMA} TO ${APP_ROLE};
    DO $$
    DECLARE private_table text;
    BEGIN
      FOR private_table IN
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = '${JOB_SCHEMA}' AND c.relkind IN ('r', 'p') AND c.relrowsecurity
          AND NOT EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = n.nspname AND p.tablename = c.relname AND p.policyname = 'app_runs_jobs')
      LOOP
        EXECUTE format('CREATE POLICY app_runs_jobs ON ${JOB_SCHEMA}.%I TO ${APP_ROLE} USING (true) WITH CHECK (true)', private_table);
      END LOOP;
    END $$;`);
}

// ---------------------------------------------------------------- running jobs

const quiet = new WorkerLogger(() => () => undefined);

function workerLogger(logger: Logger) {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const fields = { ...scope, ...meta };
    if (level === 'error') logger.error(fields, message);
    else if (level === 'warning') logger.warn(fields, message);
    else logger.debug(fields, message);
  });
}

/** `laterFlag`: marks jobs that tasks schedule, so that a runDueJobs round leaves them to the next. */
function taskList(tasks: JobTasks, laterFlag?: string): TaskList {
  return Object.fromEntries(
    Object.entries(tasks).map(([name, task]) => [
      name,
      (payload: unknown, helpers: JobHelpers) =>
        task(payload, {
          signal: helpers.abortSignal,
          schedule: async (next, nextPayload, options) => {
            await helpers.addJob(next, nextPayload, {
              queueName: options.queue,
              jobKey: options.key,
              runAt: options.runAt,
              jobKeyMode: options.keepRunAt ? 'preserve_run_at' : 'replace',
              maxAttempts: options.maxAttempts,
              flags: laterFlag ? [laterFlag] : undefined,
            });
          },
        }),
    ]),
  );
}

export interface JobRunnerOptions {
  database: Database;
  /** The server's connection (as egov_app) for PostgreSQL; the embedded PGlite needs none. */
  connectionString?: string;
  logger: Logger;
  tasks: JobTasks;
  /** Jobs run at once in this process. */
  concurrency?: number;
  /** How often to look for jobs that became due (new jobs wake the worker at once on PostgreSQL). */
  pollMs?: number;
}

export interface JobRunner {
  stop(): Promise<void>;
}

function runnerOptions(options: JobRunnerOptions, laterFlag?: string): RunnerOptions {
  const { database, connectionString } = options;
  if (database.kind === 'postgres' && !connectionString) throw new Error('the job runner needs the connection string on PostgreSQL');
  return {
    ...(database.kind === 'postgres'
      ? { connectionString, maxPoolSize: Math.max(2, Math.min(options.concurrency ?? 4, 10) + 1) }
      : { pgPool: poolOver(pgliteConnection(database)) }),
    schema: JOB_SCHEMA,
    taskList: taskList(options.tasks, laterFlag),
    logger: workerLogger(options.logger),
    noHandleSignals: true,
    noPreparedStatements: database.kind === 'pglite',
  };
}

// PGlite is one in-process session whose every statement waits its turn behind any open
// transaction, so the worker's single statements can share it with the API.
function pgliteConnection(database: Database): SqlConnection {
  let connection: SqlConnection | undefined;
  void database.withConnection(async (shared) => {
    connection = shared;
  });
  if (!connection) throw new Error('expected the embedded database to lend its connection at once');
  return connection;
}

/** Runs jobs in the background until stop(): up to `concurrency` at once. */
export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const runner: Runner = await run({ ...runnerOptions(options), concurrency: options.concurrency ?? 4, pollInterval: options.pollMs ?? 2000 });
  let stopping: Promise<void> | null = null;
  return {
    // Waits for the jobs in flight (a send ends by its own timeout), then releases the connections.
    stop: () => (stopping ??= runner.stop()),
  };
}

/**
 * Runs every job that is due now, one at a time, and returns when none is left (tests, scripts).
 * Jobs its tasks schedule (a retry due in 20 ms) wait for the next round, as they would for a poll.
 */
export async function runDueJobs(options: Omit<JobRunnerOptions, 'concurrency' | 'pollMs'>): Promise<void> {
  const laterFlag = `after-round:${crypto.randomUUID()}`;
  await runOnce({ ...runnerOptions(options, laterFlag), forbiddenFlags: [laterFlag] });
}
