// npm run bench — the API under load on a realistic volume of dossiers, against a bare baseline.
//
// On a scratch database (dropped at the end, also on error or Ctrl-C) it seeds the demo provinces,
// then dossiers in bulk (scripts/bench/seed-dossiers.ts), starts the real server in-process as
// egov_app and a bare node:http + pg baseline (scripts/bench/baseline-server.ts), and drives both
// with autocannon (in a worker thread) through three workloads: an official's work queue, public
// tracking by code and secret, and the statistics of the running month and of the year to date. It prints req/s and latency for both,
// the API's throughput as a share of the baseline's, the queue and tracking at 10 % and 100 % of the
// volume, and EXPLAIN summaries of the statements the API sends.
//
//   npm run bench -- [--dossiers 300000] [--provinces 3] [--duration 10] [--connections 10]
//
// BENCH_SERVER_URL: the PostgreSQL server (default postgresql://postgres@127.0.0.1:5432).
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config';
import { buildDevTokenClaims, signDevToken } from '../src/context/dev-token';
import { openPostgres, type Database } from '../src/db/database';
import { createScratchDatabase, type ScratchDatabase } from '../src/db/scratch-database';
import { startOfVietnamMonth, vietnamDateOf } from '../src/kernel/vietnam-time';
import { createLogger } from '../src/logger';
import { startServer, type AppServer } from '../src/server';
import { seedDemoProvinces } from '../prisma/seed';
import { startBaseline, type BaselineServer } from './bench/baseline-server';
import { explainStatements, recordStatements, type PlanSummary } from './bench/explain';
import { runLoad, type LoadRequest, type LoadResult } from './bench/load';
import { fillCounters, HISTORY_DAYS, planChunks, seedDossiers, TRACKING_SECRET } from './bench/seed-dossiers';

const { values: args } = parseArgs({
  options: {
    dossiers: { type: 'string', default: '300000' },
    provinces: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
  },
});
const DOSSIERS = Number(args.dossiers);
const PROVINCES = Number(args.provinces);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const WARM_UP = Math.min(5, DURATION); // the first API run also warms the JIT: 2 s left it 30 % behind
const POOL_SIZE = 10; // the server's default DATABASE_POOL_SIZE; the baseline gets the same
const TRACKED_CODES = 1000;
// The first stage holds the newest 10 % of the days: the open dossiers and a month of history.
const FIRST_STAGE_DAYS = Math.ceil(HISTORY_DAYS / 10);

const log = (line = '') => console.log(line);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const thousands = (value: number) => value.toLocaleString('en-US');

interface Province {
  id: string;
  slug: string;
}

/** What the workloads need, read from the seeded database as the owner. */
interface Targets {
  province: Province;
  agency: { id: string; code: string; name: string; open: number };
  officialId: string;
  tracked: { tenantId: string; slug: string; code: string }[];
}

async function readTargets(owner: pg.Client, provinces: Province[]): Promise<Targets> {
  const province = provinces[0];
  // the busiest queue of the first province: the agency with the most open dossiers
  const { rows: agencies } = await owner.query(
    `SELECT a.id, a.code, a.name, count(*)::int AS open FROM dossier d JOIN agency a ON a.tenant_id = d.tenant_id AND a.id = d.agency_id
     WHERE d.tenant_id = $1 AND d.open GROUP BY a.id, a.code, a.name ORDER BY open DESC LIMIT 1`,
    [province.id],
  );
  if (!agencies.length) throw new Error(`no open dossiers in ${province.slug}: seed more (--dossiers)`);
  // an official of that agency if it has one, else of the province: the token's subject
  const { rows: officials } = await owner.query(`SELECT id FROM official WHERE tenant_id = $1 ORDER BY (agency_id = $2) DESC, id LIMIT 1`, [
    province.id,
    agencies[0].id,
  ]);
  const { rows: tracked } = await owner.query(
    `SELECT d.tenant_id AS "tenantId", t.slug, d.code FROM dossier d JOIN tenant t ON t.id = d.tenant_id ORDER BY random() LIMIT $1`,
    [TRACKED_CODES],
  );
  return { province, agency: agencies[0], officialId: officials[0].id, tracked };
}

/**
 * Statistics for the planner, and the vacuum autovacuum would otherwise start in the middle of a
 * measurement after a bulk insert (it also sets the visibility map, as on a table in steady use).
 */
async function settle(owner: pg.Client) {
  await owner.query('VACUUM (ANALYZE) dossier, dossier_log_entry');
  await owner.query('ANALYZE');
}

/** Dossiers of the province received from the start of `monthIndex` (Vietnam's time) to now: what a statistics request reads. */
async function receivedSince(owner: pg.Client, tenantId: string, monthIndex: number): Promise<number> {
  const start = startOfVietnamMonth(PERIOD.year, monthIndex);
  const { rows } = await owner.query(`SELECT count(*)::int AS n FROM dossier WHERE tenant_id = $1 AND received_at >= $2`, [tenantId, start]);
  return rows[0].n;
}

async function openDossiersOf(owner: pg.Client, targets: Targets): Promise<number> {
  const { rows } = await owner.query(`SELECT count(*)::int AS open FROM dossier WHERE tenant_id = $1 AND agency_id = $2 AND open`, [
    targets.province.id,
    targets.agency.id,
  ]);
  return rows[0].open;
}

// ---------------------------------------------------------------- the workloads

const QUEUE_QUERY = `{ dossierQueue(first: 25, filter: { scope: AGENCY }) { totalCount edges { node { id code status dueAt overdue procedure { code name } } } } }`;
const TRACK_QUERY = `query($code:String!,$secret:String!){ trackDossier(code:$code, secret:$secret){ code status statusName dueAt history { status at } } }`;
const now = new Date();
const [localYear, localMonth] = vietnamDateOf(now).split('-').map(Number); // the statistics' month is Vietnam's
const PERIOD = { year: localYear, month: localMonth };
// The running month and the year to date: neither is over, so the server computes them every time.
const statsQuery = (period: string) =>
  `{ dossierStatistics(period: { ${period} }, groupBy: AGENCY) { total { received finishedEarly finishedOnTime finishedLate openWithinTime openOverdue onTimeRate } rows { label received } } }`;
const MONTH_QUERY = statsQuery(`year: ${PERIOD.year}, month: ${PERIOD.month}`);
const YEAR_QUERY = statsQuery(`year: ${PERIOD.year}`);

interface Workload {
  name: string;
  /** In every good response, API's and baseline's alike. */
  expect: string;
  api: LoadRequest[];
  baseline: LoadRequest[];
}

const json = { 'content-type': 'application/json' };
const graphql = (query: string, headers: Record<string, string>, variables?: Record<string, unknown>): LoadRequest => ({
  path: '/graphql',
  headers: { ...json, ...headers },
  body: JSON.stringify({ query, variables }),
});
const plain = (path: string, body: Record<string, unknown>): LoadRequest => ({ path, headers: json, body: JSON.stringify(body) });

async function workloads(targets: Targets, config: ReturnType<typeof loadConfig>): Promise<Workload[]> {
  const { province, agency, officialId } = targets;
  const sign = (roles: string[], agencyCode?: string) =>
    signDevToken(buildDevTokenClaims({ province: province.id, roles, agency: agencyCode, sub: officialId }), config);
  const handler = { authorization: `Bearer ${await sign(['official', 'handler', 'receiving_clerk'], agency.code)}`, 'x-province': province.slug };
  const admin = { authorization: `Bearer ${await sign(['official', 'province_admin'])}`, 'x-province': province.slug };
  return [
    {
      name: 'work queue',
      expect: '"totalCount"',
      api: [graphql(QUEUE_QUERY, handler)],
      baseline: [plain('/queue', { tenantId: province.id, agencyId: agency.id })],
    },
    {
      name: 'tracking',
      expect: '"history"',
      api: targets.tracked.map((t) => graphql(TRACK_QUERY, { 'x-province': t.slug }, { code: t.code, secret: TRACKING_SECRET })),
      baseline: targets.tracked.map((t) => plain('/track', { tenantId: t.tenantId, code: t.code, secret: TRACKING_SECRET })),
    },
    {
      name: 'stats, month',
      expect: '"onTimeRate"',
      api: [graphql(MONTH_QUERY, admin)],
      baseline: [plain('/stats', { tenantId: province.id, ...PERIOD })],
    },
    {
      name: 'stats, year',
      expect: '"onTimeRate"',
      api: [graphql(YEAR_QUERY, admin)],
      baseline: [plain('/stats', { tenantId: province.id, year: PERIOD.year })],
    },
  ];
}

async function load(url: string, requests: LoadRequest[], expect: string, duration = DURATION): Promise<LoadResult> {
  return runLoad({ url, connections: CONNECTIONS, duration, requests, expect });
}

/** A short unrecorded run first (JIT, plan caches, pools), then the measured one. */
async function measure(url: string, requests: LoadRequest[], expect: string): Promise<LoadResult> {
  await load(url, requests, expect, WARM_UP);
  return load(url, requests, expect);
}

// ---------------------------------------------------------------- printing

const cell = (value: string, width: number) => value.padStart(width);
const figures = (result: LoadResult) =>
  `${cell(result.requestsPerSecond.toFixed(0), 7)}${cell(String(result.p50), 7)}${cell(String(result.p99), 7)}`;
const badOf = (result: LoadResult) => `${result.bad}/${thousands(result.total)}`;

function printSamples(results: [string, LoadResult][]) {
  for (const [name, result] of results) if (result.sample) log(`  bad response in ${name}: ${result.sample}`);
}

function printPlans(workload: string, statementCount: number, plans: PlanSummary[]) {
  log(`${workload}: ${statementCount} statements per request (BEGIN, role and province, queries, COMMIT); its SELECTs:`);
  for (const plan of plans) {
    const indexed = plan.scans.some((scan) => scan.startsWith('Index') || scan.startsWith('Bitmap')) ? 'index' : 'no index';
    log(`  ${plan.label}`);
    log(`    ${plan.top} ← ${plan.scans.join(', ') || '(no scan)'} | ${indexed} | ${plan.executionMs.toFixed(2)} ms | buffers hit ${plan.buffers.hit} read ${plan.buffers.read}`);
  }
}

// ---------------------------------------------------------------- the run

async function main() {
  if (![DOSSIERS, PROVINCES, DURATION, CONNECTIONS].every((value) => Number.isInteger(value) && value > 0)) {
    throw new Error('--dossiers, --provinces, --duration and --connections take positive integers');
  }
  let scratch: ScratchDatabase | null = null;
  let database: Database | null = null;
  let api: AppServer | null = null;
  let apiReusing: AppServer | null = null;
  let baseline: BaselineServer | null = null;
  let owner: pg.Client | null = null;
  let cleaning: Promise<void> | null = null;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await api?.stop().catch(() => undefined);
      await apiReusing?.stop().catch(() => undefined);
      await baseline?.close().catch(() => undefined);
      await database?.close().catch(() => undefined);
      await owner?.end().catch(() => undefined);
      if (scratch) {
        await scratch.drop();
        process.stderr.write(`dropped ${scratch.name}\n`);
      }
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  }

  try {
    const loadBefore = os.loadavg()[0];
    let started = performance.now();
    scratch = await createScratchDatabase('egov_bench', process.env.BENCH_SERVER_URL);
    const demo = openPostgres(scratch.ownerUrl, { poolSize: 2 });
    await seedDemoProvinces(demo.prisma).finally(() => demo.close());
    owner = new pg.Client({ connectionString: scratch.ownerUrl });
    await owner.connect();
    const { rows: provinces } = await owner.query<Province>(`SELECT id, slug FROM tenant WHERE status = 'ACTIVE' ORDER BY slug LIMIT $1`, [PROVINCES]);
    if (provinces.length < PROVINCES) throw new Error(`--provinces ${PROVINCES}: the demo has ${provinces.length} active provinces`);
    log(`Scratch database ${scratch.name}: demo provinces seeded in ${seconds(started)}`);

    // Stage 1: the newest tenth of the days.
    const progress = { done: 0, grandTotal: DOSSIERS };
    const tenantIds = provinces.map((province) => province.id);
    started = performance.now();
    await seedDossiers(scratch.ownerUrl, tenantIds, planChunks(DOSSIERS, 0, FIRST_STAGE_DAYS), now, progress);
    await settle(owner);
    const firstStage = progress.done;
    let seedTime = performance.now() - started;

    // Statistics computed on every request, as the baseline does; a second server keeps the default
    // reuse of running-period figures, measured once at the end.
    // Admission (rate limits, the per-province cap) is off: this measures what an admitted operation
    // costs, as the baseline does; `npm run bench:fairness` measures admission itself.
    const admitAll = { RATE_LIMIT_PER_ADDRESS: '0', RATE_LIMIT_PER_SUBJECT: '0', RATE_LIMIT_PER_PROVINCE: '0', PROVINCE_MAX_CONCURRENT: String(POOL_SIZE) };
    const env = { NODE_ENV: 'development', DATABASE_URL: scratch.appUrl, JWT_SECRET: 'bench-secret-0123456789abcdef-0123456789', LOG_LEVEL: 'silent', ...admitAll };
    const config = loadConfig({ ...env, STATISTICS_FRESH_SECONDS: '0' });
    const reusingConfig = loadConfig(env);
    database = openPostgres(scratch.appUrl, { poolSize: POOL_SIZE });
    api = await startServer({ config, database, logger: createLogger('silent'), port: 0 });
    apiReusing = await startServer({ config: reusingConfig, database, logger: createLogger('silent'), port: 0 });
    baseline = await startBaseline(scratch.appUrl, POOL_SIZE);
    const apiUrl = `http://127.0.0.1:${api.port}`;

    let targets = await readTargets(owner, provinces);
    const [queue, tracking] = await workloads(targets, config);
    process.stderr.write(`measuring the queue and tracking at ${thousands(firstStage)} dossiers...\n`);
    const growth = [
      {
        label: `newest ${FIRST_STAGE_DAYS} days`,
        dossiers: firstStage,
        open: await openDossiersOf(owner, targets),
        queue: await measure(apiUrl, queue.api, queue.expect),
        tracking: await measure(apiUrl, tracking.api, tracking.expect),
      },
    ];

    // Stage 2: the rest of the year.
    started = performance.now();
    await seedDossiers(scratch.ownerUrl, tenantIds, planChunks(DOSSIERS, FIRST_STAGE_DAYS, HISTORY_DAYS), now, progress);
    await fillCounters(owner);
    await settle(owner);
    seedTime += performance.now() - started;
    const { rows: sizes } = await owner.query(
      `SELECT (SELECT count(*) FROM dossier)::int AS dossiers, (SELECT count(*) FROM dossier_log_entry)::int AS entries,
              pg_size_pretty(pg_total_relation_size('dossier')) AS dossier_size, pg_size_pretty(pg_total_relation_size('dossier_log_entry')) AS log_size`,
    );
    log(
      `Seeded ${thousands(sizes[0].dossiers)} dossiers (${sizes[0].dossier_size} with indexes) and ${thousands(sizes[0].entries)} log entries ` +
        `(${sizes[0].log_size}) over ${HISTORY_DAYS} days in ${PROVINCES} provinces (${provinces.map((p) => p.slug).join(', ')}) ` +
        `in ${(seedTime / 1000).toFixed(1)} s, VACUUM ANALYZE included`,
    );

    // The full volume: the agency stays the same, the tracked codes are drawn again from every day.
    const agency = targets.agency;
    targets = { ...(await readTargets(owner, provinces)), agency };
    const all = await workloads(targets, config);
    const results: { workload: Workload; api: LoadResult; baseline: LoadResult }[] = [];
    for (const workload of all) {
      process.stderr.write(`measuring ${workload.name} at ${thousands(DOSSIERS)} dossiers...\n`);
      const base = await measure(baseline.url, workload.baseline, workload.expect);
      const real = await measure(apiUrl, workload.api, workload.expect);
      results.push({ workload, api: real, baseline: base });
    }
    const yearStats = all.find((workload) => workload.name === 'stats, year')!;
    process.stderr.write(`measuring stats, year with figures reused for ${reusingConfig.STATISTICS_FRESH_SECONDS} s...\n`);
    const reused = await measure(`http://127.0.0.1:${apiReusing.port}`, yearStats.api, yearStats.expect);
    growth.push({
      label: `all ${HISTORY_DAYS} days`,
      dossiers: DOSSIERS,
      open: await openDossiersOf(owner, targets),
      queue: results[0].api,
      tracking: results[1].api,
    });

    // What the API sends for one request of each workload, and the plans on the full volume. The
    // pause lets requests still in flight from the last run finish, so that only this one is recorded.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const explained: { name: string; statements: number; plans: PlanSummary[] }[] = [];
    for (const workload of all) {
      const request = workload.api[0];
      const statements = await recordStatements(() =>
        fetch(`${apiUrl}${request.path}`, { method: 'POST', headers: request.headers, body: request.body }).then((response) => response.text()),
      );
      const tenantId = workload.name === 'tracking' ? targets.tracked[0].tenantId : targets.province.id;
      explained.push({ name: workload.name, statements: statements.length, plans: await explainStatements(scratch.appUrl, tenantId, statements) });
    }

    const [{ server_version: postgres }] = (await owner.query('SHOW server_version')).rows;
    log();
    log(
      `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, PostgreSQL ${postgres}; ` +
        `autocannon ${CONNECTIONS} connections × ${DURATION} s per run after a ${WARM_UP} s warm-up, pools of ${POOL_SIZE}`,
    );
    // Anything else running on the machine takes its share of the same cores.
    log(`Load average (1 min) before the run ${loadBefore.toFixed(2)}, after ${os.loadavg()[0].toFixed(2)}.`);
    const [monthVolume, yearVolume] = [await receivedSince(owner, targets.province.id, PERIOD.month - 1), await receivedSince(owner, targets.province.id, 0)];
    log(`Work queue: ${agency.name} (${agency.code}) in ${targets.province.slug}; tracking: ${TRACKED_CODES} random codes of all provinces.`);
    log(
      `Statistics by agency in ${targets.province.slug}: ${PERIOD.month}/${PERIOD.year} so far (${thousands(monthVolume)} dossiers received) ` +
        `and ${PERIOD.year} so far (${thousands(yearVolume)}).`,
    );
    log();
    log(`The API in this table computes statistics on every request (STATISTICS_FRESH_SECONDS=0), as the baseline does.`);
    log(`workload         ─────── API ───────   ───── baseline ─────   API/baseline   bad responses (API, baseline)`);
    log(`                   req/s p50 ms p99 ms    req/s p50 ms p99 ms`);
    for (const { workload, api: real, baseline: base } of results) {
      const ratio = real.requestsPerSecond / base.requestsPerSecond;
      log(`${workload.name.padEnd(15)}${figures(real)}   ${figures(base)}   ${cell(`${ratio.toFixed(2)}×`, 12)}   ${badOf(real)}, ${badOf(base)}`);
    }
    log(`${'stats, year'.padEnd(15)}${figures(reused)}   (the API as deployed: figures of a running period reused for ${reusingConfig.STATISTICS_FRESH_SECONDS} s)   ${badOf(reused)}`);
    printSamples(results.flatMap((r) => [[`${r.workload.name} (API)`, r.api] as [string, LoadResult], [`${r.workload.name} (baseline)`, r.baseline]]));
    printSamples([['stats, year (reused)', reused]]);

    log();
    log(`The API as the table grows (same agency, same connections):`);
    log(`volume             dossiers   agency's open   ──── work queue ────   ───── tracking ─────`);
    log(`                                                req/s p50 ms p99 ms    req/s p50 ms p99 ms`);
    for (const stage of growth) {
      log(`${stage.label.padEnd(16)}${cell(thousands(stage.dossiers), 11)}${cell(thousands(stage.open), 16)}  ${figures(stage.queue)}   ${figures(stage.tracking)}`);
    }
    printSamples(growth.flatMap((g) => [[`queue, ${g.label}`, g.queue] as [string, LoadResult], [`tracking, ${g.label}`, g.tracking]]));

    log();
    log(`EXPLAIN (ANALYZE, BUFFERS) of the API's statements on the full volume, as egov_app with the province set:`);
    for (const { name, statements, plans } of explained) printPlans(name, statements, plans);

    const bad = [...results.flatMap((r) => [r.api, r.baseline]), reused, ...growth.flatMap((g) => [g.queue, g.tracking])].reduce((sum, r) => sum + r.bad, 0);
    if (bad) {
      log(`\n${bad} bad responses: these figures measure errors, not the API.`);
      process.exitCode = 1;
    }
  } finally {
    await cleanUp();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
