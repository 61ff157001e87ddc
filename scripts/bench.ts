// npm run bench — the API under load on a realistic volume of dossiers, against a bare baseline.
//
// On a scratch database (dropped at the end, also on error or Ctrl-C) it seeds the demo provinces,
// officials in bulk (scripts/bench/seed-officials.ts), then dossiers in bulk
// (scripts/bench/seed-dossiers.ts): first the newest 10 % of the days, then the rest of the year.
//
// The servers run as child processes, as in production (scripts/bench/processes.ts): the API as
// `node <npm start's options> src/main.ts` as egov_app with admission switched off (rate limits 0, the
// per-province cap = the pool); and the bare node:http + pg baseline
// (scripts/bench/baseline-main.ts, baseline-server.ts). Each is ready at its first 200 of GET /readyz;
// the API's start-up time is spawn to that answer. All are killed when the bench ends, however it ends.
// The load generator (autocannon, in a worker thread: scripts/bench/load.ts) runs in this process.
//
// Workloads (--workloads picks some, comma-separated):
//   queue        an official's work queue, dossierQueue(first: 25) of the busiest agency
//   tracking     public tracking by code and secret, 1000 random codes of all provinces
//   stats-month  dossierStatistics of the running month, by agency (a province admin)
//   stats-year   the same for the year to date
// Statistics read the monthly roll-ups, rebuilt after each seeding stage by the backfill (the bulk
// seed writes with triggers off), and the open dossiers; the baseline reads the same.
//   directory    a province admin's officials(first: 50) with their agencies
//   national     a ministry's nationalIndicators for the year to date by province, on-time and online
//                rates (API only: its transaction runs as egov_ministry on the monthly roll-ups)
//   intake       a receiving clerk's receiveDossier at one agency of the second province (a mutation;
//                API only; run after the others, so that its new dossiers change none of them)
// The read workloads run in --rounds interleaved rounds: in each round the baseline and the API run
// one after the other (which one first alternates by round), each for --duration seconds, after a
// warm-up of WARM_UP s in the first round only. Then the API-only ones, in as many rounds. For each
// run the server's CPU time (/proc/<pid>/stat utime + stime) is read before and after (CPU ms per
// completed request), and its VmRSS sampled every 200 ms. Printed per workload: the median req/s of
// the rounds with min–max, the median p50 and p99, the API/baseline ratio (the median of the rounds'
// ratios, min–max), CPU ms per request and the largest RSS; VmHWM of each process at the end.
// Then the queue and tracking at 10 % and 100 % of the volume (medians of the rounds), the statements
// the API sends per request of each workload (recorded in one in-process API server after the load
// runs; the queue and the directory at three page sizes) and EXPLAIN summaries of its SELECTs.
// The exit code is 1 if any measured response was bad.
//
//   npm run bench -- [--dossiers 300000] [--provinces 3] [--officials 2000] [--duration 10]
//                    [--rounds 3] [--connections 10] [--workloads queue,tracking,stats-month,stats-year,directory,intake]
//
// --officials: officials added to each province's demo dozen, for the directory.
// BENCH_SERVER_URL: the PostgreSQL server (default postgresql://postgres@127.0.0.1:5432).
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig, type Config } from '../src/config';
import { buildDevTokenClaims, signDevToken } from '../src/context/dev-token';
import { openPostgres, type Database } from '../src/db/database';
import { createScratchDatabase, type ScratchDatabase } from '../src/db/scratch-database';
import { startOfVietnamMonth, vietnamDateOf } from '../src/kernel/vietnam-time';
import { createLogger } from '../src/logger';
import { startServer, type AppServer } from '../src/server';
import { seedDemoProvinces } from '../prisma/seed';
import { explainStatements, recordStatements, type PlanSummary } from './bench/explain';
import { runLoad, type LoadRequest, type LoadResult } from './bench/load';
import { CLOCK_TICKS, START_NODE_OPTIONS, commandOf, cpuMs, descendantsOf, freePort, listensOn, memoryKb, sampleRss, startServerProcess, stopAll, type ServerProcess } from './bench/processes';
import { fillCounters, HISTORY_DAYS, planChunks, seedDossiers, TRACKING_SECRET } from './bench/seed-dossiers';
import { seedOfficials } from './bench/seed-officials';
import { backfillRollUps } from '../src/modules/indicators/backfill';

const WORKLOAD_KEYS = ['queue', 'tracking', 'stats-month', 'stats-year', 'directory', 'national', 'intake'] as const;
type WorkloadKey = (typeof WORKLOAD_KEYS)[number];

const { values: args } = parseArgs({
  options: {
    dossiers: { type: 'string', default: '300000' },
    provinces: { type: 'string', default: '3' },
    officials: { type: 'string', default: '2000' },
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    workloads: { type: 'string', default: WORKLOAD_KEYS.join(',') },
  },
});
const DOSSIERS = Number(args.dossiers);
const PROVINCES = Number(args.provinces);
const OFFICIALS = Number(args.officials);
const DURATION = Number(args.duration);
const ROUNDS = Number(args.rounds);
const CONNECTIONS = Number(args.connections);
const SELECTED = new Set(args.workloads.split(',').map((key) => key.trim()).filter(Boolean));
const WARM_UP = Math.min(5, DURATION); // the first run also warms the JIT: 2 s left it 30 % behind
const POOL_SIZE = 10; // the server's default DATABASE_POOL_SIZE; the baseline gets the same
const TRACKED_CODES = 1000;
const BENCH_SECRET = 'bench-secret-0123456789abcdef-0123456789';
// The first stage holds the newest 10 % of the days: the open dossiers and a month of history.
const FIRST_STAGE_DAYS = Math.ceil(HISTORY_DAYS / 10);

const log = (line = '') => console.log(line);
const note = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const thousands = (value: number) => value.toLocaleString('en-US');
const selected = (key: WorkloadKey) => SELECTED.has(key);

interface Province {
  id: string;
  slug: string;
}

/** What the workloads need, read from the seeded database as the owner. */
interface Targets {
  province: Province;
  agency: { id: string; code: string; name: string };
  officialId: string;
  tracked: { tenantId: string; slug: string; code: string }[];
  intake: IntakeTarget;
}

interface IntakeTarget {
  province: Province;
  agency: { id: string; code: string; name: string };
  officialId: string;
  procedure: { code: string; name: string; documents: string[] };
}

async function readTargets(owner: pg.Client, provinces: Province[], keepAgency?: Targets['agency']): Promise<Targets> {
  const province = provinces[0];
  // the busiest queue of the first province: the agency with the most open dossiers
  const { rows: agencies } = await owner.query(
    `SELECT a.id, a.code, a.name FROM dossier d JOIN agency a ON a.tenant_id = d.tenant_id AND a.id = d.agency_id
     WHERE d.tenant_id = $1 AND d.open GROUP BY a.id, a.code, a.name ORDER BY count(*) DESC LIMIT 1`,
    [province.id],
  );
  if (!agencies.length) throw new Error(`no open dossiers in ${province.slug}: seed more (--dossiers)`);
  const agency = keepAgency ?? agencies[0];
  // an official of that agency if it has one, else of the province: the token's subject
  const { rows: officials } = await owner.query(
    `SELECT id FROM official WHERE tenant_id = $1 AND status = 'WORKING' ORDER BY (agency_id = $2) DESC, id LIMIT 1`,
    [province.id, agency.id],
  );
  const { rows: tracked } = await owner.query(
    `SELECT d.tenant_id AS "tenantId", t.slug, d.code FROM dossier d JOIN tenant t ON t.id = d.tenant_id ORDER BY random() LIMIT $1`,
    [TRACKED_CODES],
  );
  return { province, agency, officialId: officials[0].id, tracked, intake: await readIntakeTarget(owner, provinces, agency.id) };
}

/**
 * Where the clerk receives dossiers: an agency of the second province when there is one (so that its
 * new dossiers change neither the queue nor the first province's statistics), not the queue's, with
 * an official; the first procedure it performs, and the codes of its required documents.
 */
async function readIntakeTarget(owner: pg.Client, provinces: Province[], queueAgencyId: string): Promise<IntakeTarget> {
  const province = provinces[1] ?? provinces[0];
  const { rows } = await owner.query(
    `SELECT a.id, a.code, a.name, p.code AS procedure_code, p.name AS procedure_name, p.required_documents,
            (SELECT o.id FROM official o WHERE o.tenant_id = a.tenant_id AND o.agency_id = a.id AND o.status = 'WORKING' ORDER BY o.id LIMIT 1) AS official_id
     FROM province_procedure pp
     JOIN procedure p ON p.id = pp.procedure_id
     JOIN agency a ON a.tenant_id = pp.tenant_id AND a.id = pp.agency_id
     WHERE pp.tenant_id = $1 AND pp.enabled AND a.id <> $2
       AND EXISTS (SELECT 1 FROM official o WHERE o.tenant_id = a.tenant_id AND o.agency_id = a.id AND o.status = 'WORKING')
     ORDER BY a.code, p.code LIMIT 1`,
    [province.id, queueAgencyId],
  );
  if (!rows.length) throw new Error(`no agency of ${province.slug} performs a procedure and has an official`);
  const [row] = rows;
  const documents = (row.required_documents as { code: string; required: boolean }[]).filter((document) => document.required).map((document) => document.code);
  return {
    province,
    agency: { id: row.id, code: row.code, name: row.name },
    officialId: row.official_id,
    procedure: { code: row.procedure_code, name: row.procedure_name, documents },
  };
}

/**
 * Statistics for the planner, and the vacuum autovacuum would otherwise start in the middle of a
 * measurement after a bulk insert (it also sets the visibility map, as on a table in steady use).
 */
/** The roll-ups of the bulk-seeded dossiers (written with triggers off), as `npm run rollups:backfill --again` rebuilds them. */
async function rollUp(ownerUrl: string, tenantIds: string[]): Promise<number> {
  const started = performance.now();
  const database = openPostgres(ownerUrl, { poolSize: 1 });
  try {
    await backfillRollUps(database, tenantIds, { again: true });
  } finally {
    await database.close();
  }
  return performance.now() - started;
}

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

const queueQuery = (first: number) =>
  `{ dossierQueue(first: ${first}, filter: { scope: AGENCY }) { totalCount edges { node { id code status dueAt overdue procedure { code name } } } } }`;
const directoryQuery = (first: number) =>
  `{ officials(first: ${first}) { totalCount edges { node { id fullName position email agency { id code name } } } } }`;
const TRACK_QUERY = `query($code:String!,$secret:String!){ trackDossier(code:$code, secret:$secret){ code status statusName dueAt history { status at } } }`;
const RECEIVE_MUTATION = `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) { code secret dossier { status dueAt } } }`;
const now = new Date();
const [localYear, localMonth] = vietnamDateOf(now).split('-').map(Number); // the statistics' month is Vietnam's
const PERIOD = { year: localYear, month: localMonth };
// The running month and the year to date: neither is over, so the server computes them every time.
const statsQuery = (period: string) =>
  `{ dossierStatistics(period: { ${period} }, groupBy: AGENCY) { total { received finishedEarly finishedOnTime finishedLate openWithinTime openOverdue onTimeRate } rows { label received } } }`;
const MONTH_QUERY = statsQuery(`year: ${PERIOD.year}, month: ${PERIOD.month}`);
const YEAR_QUERY = statsQuery(`year: ${PERIOD.year}`);
const NATIONAL_QUERY = `{ nationalIndicators(period: { year: ${PERIOD.year} }, indicators: [ON_TIME_RATE, ONLINE_SHARE]) {
  rows { key label values { indicator value base suppressed } } total { values { indicator value base } } } }`;

interface Workload {
  key: WorkloadKey;
  name: string;
  /** In every good response, API's and baseline's alike. */
  expect: string;
  api: LoadRequest[];
  /** Null: measured on the API only. */
  baseline: LoadRequest[] | null;
  /** The tenant its statements are explained as. */
  tenantId: string;
  /** Or the ministry, for a ministry's workload. */
  ministry?: string;
  /** The same request at other page sizes, for the statement count. */
  pages?: { label: string; request: LoadRequest }[];
}

const json = { 'content-type': 'application/json' };
const graphql = (query: string, headers: Record<string, string>, variables?: Record<string, unknown>): LoadRequest => ({
  path: '/graphql',
  headers: { ...json, ...headers },
  body: JSON.stringify({ query, variables }),
});
const plain = (path: string, body: Record<string, unknown>): LoadRequest => ({ path, headers: json, body: JSON.stringify(body) });
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`, 'utf8').toString('base64');

/** Distinct applicants, sent in rotation: real-format CCCDs and phone numbers, Vietnamese names. */
function intakeRequests(target: IntakeTarget, headers: Record<string, string>): LoadRequest[] {
  const names = ['Trương Thị Mỹ Tiên', 'Nguyễn Văn An', 'Lê Hoàng Minh', 'Phạm Thị Thu Hà', 'Huỳnh Quốc Bảo', 'Võ Ngọc Lan', 'Trần Đức Thắng', 'Đặng Thị Yến'];
  return Array.from({ length: 200 }, (_unused, n) => {
    const female = n % 2 === 0;
    const birthYear = 1960 + (n % 45);
    const idNumber = `092${(birthYear >= 2000 ? 2 : 0) + (female ? 1 : 0)}${String(birthYear % 100).padStart(2, '0')}${String(1000 + n).padStart(6, '0')}`;
    return graphql(RECEIVE_MUTATION, headers, {
      input: {
        procedureCode: target.procedure.code,
        agencyId: globalId('Agency', target.agency.id),
        applicant: { name: names[n % names.length], type: 'CITIZEN', idNumber, phone: `0939${String(123000 + n).padStart(6, '0')}` },
        summary: `Đề nghị giải quyết thủ tục ${target.procedure.name} số ${n + 1}`.slice(0, 1000),
        documentsProvided: target.procedure.documents,
      },
    });
  });
}

async function workloads(targets: Targets, config: Config): Promise<Workload[]> {
  const { province, agency, officialId, intake } = targets;
  const sign = (tenantId: string, roles: string[], sub: string, agencyCode?: string) =>
    signDevToken(buildDevTokenClaims({ province: tenantId, roles, agency: agencyCode, sub }), config);
  const handler = {
    authorization: `Bearer ${await sign(province.id, ['official', 'handler', 'receiving_clerk'], officialId, agency.code)}`,
    'x-province': province.slug,
  };
  const admin = { authorization: `Bearer ${await sign(province.id, ['official', 'province_admin'], officialId)}`, 'x-province': province.slug };
  const clerk = {
    authorization: `Bearer ${await sign(intake.province.id, ['official', 'receiving_clerk'], intake.officialId, intake.agency.code)}`,
    'x-province': intake.province.slug,
  };
  const all: Workload[] = [
    {
      key: 'queue',
      name: 'work queue',
      expect: '"totalCount"',
      api: [graphql(queueQuery(25), handler)],
      baseline: [plain('/queue', { tenantId: province.id, agencyId: agency.id })],
      tenantId: province.id,
      pages: [5, 25, 100].map((first) => ({ label: `first: ${first}`, request: graphql(queueQuery(first), handler) })),
    },
    {
      key: 'tracking',
      name: 'tracking',
      expect: '"history"',
      api: targets.tracked.map((t) => graphql(TRACK_QUERY, { 'x-province': t.slug }, { code: t.code, secret: TRACKING_SECRET })),
      baseline: targets.tracked.map((t) => plain('/track', { tenantId: t.tenantId, code: t.code, secret: TRACKING_SECRET })),
      tenantId: targets.tracked[0].tenantId,
    },
    {
      key: 'stats-month',
      name: 'stats, month',
      expect: '"onTimeRate"',
      api: [graphql(MONTH_QUERY, admin)],
      baseline: [plain('/stats', { tenantId: province.id, ...PERIOD })],
      tenantId: province.id,
    },
    {
      key: 'stats-year',
      name: 'stats, year',
      expect: '"onTimeRate"',
      api: [graphql(YEAR_QUERY, admin)],
      baseline: [plain('/stats', { tenantId: province.id, year: PERIOD.year })],
      tenantId: province.id,
    },
    {
      key: 'directory',
      name: 'directory',
      expect: '"totalCount"',
      api: [graphql(directoryQuery(50), admin)],
      baseline: [plain('/directory', { tenantId: province.id, first: 50 })],
      tenantId: province.id,
      pages: [10, 50, 100].map((first) => ({ label: `first: ${first}`, request: graphql(directoryQuery(first), admin) })),
    },
    {
      key: 'national',
      name: 'national, year',
      expect: '"ON_TIME_RATE"',
      api: [graphql(NATIONAL_QUERY, { authorization: `Bearer ${await signDevToken(buildDevTokenClaims({ roles: ['ministry'], sub: 'VPCP' }), config)}` })],
      baseline: null,
      tenantId: province.id,
      ministry: 'VPCP',
    },
    {
      key: 'intake',
      name: 'intake',
      expect: '"code"',
      api: intakeRequests(intake, clerk),
      baseline: null,
      tenantId: intake.province.id,
    },
  ];
  return all.filter((workload) => selected(workload.key));
}

// ---------------------------------------------------------------- measuring

/** One measured run, with the server's CPU per completed request and its largest RSS meanwhile. */
interface Run extends LoadResult {
  cpuMsPerRequest: number;
  maxRssKb: number;
}

async function measure(server: ServerProcess, requests: LoadRequest[], expect: string, warm: boolean): Promise<Run> {
  const load = (duration: number) => runLoad({ url: server.url, connections: CONNECTIONS, duration, requests, expect });
  const alive = () => {
    const { exitCode, signalCode } = server.child;
    if (exitCode !== null || signalCode !== null) throw new Error(`${server.name} (pid ${server.pid}) exited during a run (${signalCode ?? exitCode})`);
  };
  if (warm) await load(WARM_UP);
  alive();
  const cpuBefore = cpuMs(server.pid);
  const rss = sampleRss(server.pid, 200);
  const result = await load(DURATION);
  const maxRssKb = rss.stop();
  alive();
  const cpuAfter = cpuMs(server.pid);
  return { ...result, cpuMsPerRequest: result.total ? (cpuAfter - cpuBefore) / result.total : NaN, maxRssKb };
}

interface Summary {
  rps: number;
  rpsMin: number;
  rpsMax: number;
  p50: number;
  p99: number;
  cpu: number;
  maxRssKb: number;
  bad: number;
  total: number;
  sample: string | null;
}

function median(values: number[]): number {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function summarise(runs: Run[]): Summary {
  const rps = runs.map((run) => run.requestsPerSecond);
  return {
    rps: median(rps),
    rpsMin: Math.min(...rps),
    rpsMax: Math.max(...rps),
    p50: median(runs.map((run) => run.p50)),
    p99: median(runs.map((run) => run.p99)),
    cpu: median(runs.map((run) => run.cpuMsPerRequest)),
    maxRssKb: Math.max(...runs.map((run) => run.maxRssKb)),
    bad: runs.reduce((sum, run) => sum + run.bad, 0),
    total: runs.reduce((sum, run) => sum + run.total, 0),
    sample: runs.find((run) => run.sample)?.sample ?? null,
  };
}

/** A workload on the API only, `ROUNDS` times (warmed up before the first). */
async function apiRounds(server: ServerProcess, workload: Workload, label: string): Promise<Run[]> {
  const runs: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    note(`  ${label}, round ${round + 1}/${ROUNDS}...`);
    runs.push(await measure(server, workload.api, workload.expect, round === 0));
  }
  return runs;
}

// ---------------------------------------------------------------- printing

const cell = (value: string, width: number) => value.padStart(width);
const whole = (value: number) => (Number.isNaN(value) ? '–' : value >= 10 ? value.toFixed(0) : value.toFixed(1));
const megabytes = (kb: number) => (Number.isFinite(kb) ? `${Math.round(kb / 1024)}` : '–');
const spread = (min: number, max: number) => `(${whole(min)}–${whole(max)})`;

const TABLE_HEAD = [
  `workload      server              req/s  (min–max)     p50 ms  p99 ms  CPU ms/req  max RSS MB   API/baseline (min–max)   bad/total`,
];

function row(workload: string, server: string, summary: Summary, ratio = '') {
  return (
    `${workload.padEnd(14)}${server.padEnd(16)}${cell(whole(summary.rps), 9)}  ${spread(summary.rpsMin, summary.rpsMax).padEnd(14)}` +
    `${cell(whole(summary.p50), 6)}${cell(whole(summary.p99), 8)}${cell(summary.cpu.toFixed(2), 12)}${cell(megabytes(summary.maxRssKb), 12)}` +
    `   ${ratio.padEnd(25)}${summary.bad}/${thousands(summary.total)}`
  );
}

const stageFigures = (summary: Summary) => `${cell(whole(summary.rps), 7)}${cell(whole(summary.p50), 7)}${cell(whole(summary.p99), 7)}`;

function printPlans(workload: string, plans: PlanSummary[]) {
  log(`${workload}: its SELECTs:`);
  for (const plan of plans) {
    const indexed = plan.scans.some((scan) => scan.startsWith('Index') || scan.startsWith('Bitmap')) ? 'index' : 'no index';
    log(`  ${plan.label}`);
    log(`    ${plan.top} ← ${plan.scans.join(', ') || '(no scan)'} | ${indexed} | ${plan.executionMs.toFixed(2)} ms | buffers hit ${plan.buffers.hit} read ${plan.buffers.read}`);
  }
}

// ---------------------------------------------------------------- the run

async function main() {
  if (![DOSSIERS, PROVINCES, DURATION, CONNECTIONS, ROUNDS].every((value) => Number.isInteger(value) && value > 0)) {
    throw new Error('--dossiers, --provinces, --duration, --rounds and --connections take positive integers');
  }
  if (!Number.isInteger(OFFICIALS) || OFFICIALS < 0) throw new Error('--officials takes an integer ≥ 0');
  const unknown = [...SELECTED].filter((key) => !(WORKLOAD_KEYS as readonly string[]).includes(key));
  if (unknown.length || !SELECTED.size) throw new Error(`--workloads: unknown ${unknown.join(', ') || '(none given)'}; the workloads are ${WORKLOAD_KEYS.join(', ')}`);
  if (process.platform !== 'linux') throw new Error('the bench reads /proc: Linux only');

  let scratch: ScratchDatabase | null = null;
  let database: Database | null = null;
  let recorder: AppServer | null = null;
  let owner: pg.Client | null = null;
  let cleaning: Promise<void> | null = null;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await stopAll().catch(() => undefined);
      await recorder?.stop().catch(() => undefined);
      await database?.close().catch(() => undefined);
      await owner?.end().catch(() => undefined);
      if (scratch) {
        await scratch.drop();
        note(`dropped ${scratch.name}`);
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
    await seedDemoProvinces(demo).finally(() => demo.close());
    owner = new pg.Client({ connectionString: scratch.ownerUrl });
    await owner.connect();
    const { rows: provinces } = await owner.query<Province>(`SELECT id, slug FROM tenant WHERE status = 'ACTIVE' ORDER BY slug LIMIT $1`, [PROVINCES]);
    if (provinces.length < PROVINCES) throw new Error(`--provinces ${PROVINCES}: the demo has ${provinces.length} active provinces`);
    if (OFFICIALS) await seedOfficials(owner, provinces, OFFICIALS);
    log(`Scratch database ${scratch.name}: demo provinces and ${thousands(OFFICIALS)} more officials per province seeded in ${seconds(started)}`);

    // Stage 1: the newest tenth of the days.
    const progress = { done: 0, grandTotal: DOSSIERS };
    const tenantIds = provinces.map((province) => province.id);
    started = performance.now();
    await seedDossiers(scratch.ownerUrl, tenantIds, planChunks(DOSSIERS, 0, FIRST_STAGE_DAYS), now, progress);
    note(`stage 1: roll-ups rebuilt by the backfill in ${(await rollUp(scratch.ownerUrl, tenantIds) / 1000).toFixed(1)} s`);
    await settle(owner);
    const firstStage = progress.done;
    let seedTime = performance.now() - started;
    note(
      `stage 1: ${thousands(firstStage)} dossiers in ${(seedTime / 1000).toFixed(1)} s; the other ${thousands(DOSSIERS - firstStage)} ` +
        `should take about ${(((DOSSIERS - firstStage) / Math.max(firstStage, 1)) * seedTime / 1000).toFixed(0)} s`,
    );

    // The servers, one process each. Admission (rate limits, the per-province cap) is off: this
    // measures what an admitted operation costs, as the baseline does; `npm run bench:fairness`
    // measures admission itself.
    const env = {
      // As deployed: graphql-js and express take their production paths (graphql-js' development
      // build checks every failed instanceof for a second copy of itself).
      NODE_ENV: 'production',
      DATABASE_URL: scratch.appUrl,
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      JWT_SECRET: BENCH_SECRET,
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_ADDRESS: '0',
      RATE_LIMIT_PER_SUBJECT: '0',
      RATE_LIMIT_PER_PROVINCE: '0',
      PROVINCE_MAX_CONCURRENT: String(POOL_SIZE),
    };
    const config = loadConfig(env);
    // The tokens are the bench's own, signed with the servers' secret (an identity provider's in production).
    const signing = loadConfig({ ...env, NODE_ENV: 'development' });
    const needsBaseline = (WORKLOAD_KEYS as readonly WorkloadKey[]).some((key) => selected(key) && key !== 'intake');
    const servers: ServerProcess[] = [];
    const baseline = needsBaseline
      ? await (async (port) =>
          startServerProcess({ name: 'baseline', script: 'scripts/bench/baseline-main.ts', args: [scratch!.appUrl, String(POOL_SIZE), String(port)], env: {}, port }))(await freePort())
      : null;
    if (baseline) servers.push(baseline);
    const apiPort = await freePort();
    const api = await startServerProcess({ name: 'API', script: 'src/main.ts', env: { ...env, PORT: String(apiPort) }, port: apiPort });
    servers.push(api);
    // `node --import tsx` runs the script in the process spawned (tsx's hooks are a thread of it):
    // that process holds the listening socket, so its CPU time is the server's. Any child process
    // (esbuild's service, when tsx compiled a file missing from its cache) is listed in the report.
    for (const server of servers) {
      if (!listensOn(server.pid, server.port)) throw new Error(`${server.name}: pid ${server.pid} does not hold the socket on port ${server.port}`);
    }
    const descendants = servers.flatMap((server) => descendantsOf(server.pid).map((pid) => `${server.name}: ${pid} ${commandOf(pid).slice(0, 80)}`));
    const idleRss = new Map(servers.map((server) => [server, memoryKb(server.pid).rss]));
    note(servers.map((server) => `${server.name}: pid ${server.pid}, ready in ${(server.startupMs / 1000).toFixed(1)} s`).join('; '));

    let targets = await readTargets(owner, provinces);
    const agency = targets.agency;
    const growth: { label: string; dossiers: number; open: number; queue: Summary | null; tracking: Summary | null; statsYear: Summary | null }[] = [];
    if (selected('queue') || selected('tracking') || selected('stats-year')) {
      const early = await workloads(targets, signing);
      const summaryOf = async (key: WorkloadKey) => {
        const workload = early.find((w) => w.key === key);
        return workload ? summarise(await apiRounds(api, workload, `${workload.name} at ${thousands(firstStage)} dossiers`)) : null;
      };
      growth.push({
        label: `newest ${FIRST_STAGE_DAYS} days`,
        dossiers: firstStage,
        open: await openDossiersOf(owner, targets),
        queue: await summaryOf('queue'),
        tracking: await summaryOf('tracking'),
        statsYear: await summaryOf('stats-year'),
      });
    }

    // Stage 2: the rest of the year.
    started = performance.now();
    await seedDossiers(scratch.ownerUrl, tenantIds, planChunks(DOSSIERS, FIRST_STAGE_DAYS, HISTORY_DAYS), now, progress);
    const backfillMs = await rollUp(scratch.ownerUrl, tenantIds);
    log(`Roll-ups of all ${thousands(DOSSIERS)} dossiers rebuilt by the backfill (npm run rollups:backfill) in ${(backfillMs / 1000).toFixed(1)} s`);
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
    targets = await readTargets(owner, provinces, agency);
    const all = await workloads(targets, signing);
    const compared = all.filter((workload) => workload.baseline);
    const apiRuns = new Map<Workload, Run[]>(compared.map((workload) => [workload, []]));
    const baselineRuns = new Map<Workload, Run[]>(compared.map((workload) => [workload, []]));
    const ratios = new Map<Workload, number[]>(compared.map((workload) => [workload, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const workload of compared) {
        const apiFirst = round % 2 === 1;
        note(`round ${round + 1}/${ROUNDS}: ${workload.name} at ${thousands(DOSSIERS)} dossiers (${apiFirst ? 'API, baseline' : 'baseline, API'})...`);
        const runApi = async () => (apiRuns.get(workload)!.push(await measure(api, workload.api, workload.expect, round === 0)), apiRuns.get(workload)!.at(-1)!);
        const runBaseline = async () => (
          baselineRuns.get(workload)!.push(await measure(baseline!, workload.baseline!, workload.expect, round === 0)), baselineRuns.get(workload)!.at(-1)!
        );
        const [first, second] = apiFirst ? [await runApi(), await runBaseline()] : [await runBaseline(), await runApi()];
        const [real, base] = apiFirst ? [first, second] : [second, first];
        ratios.get(workload)!.push(real.requestsPerSecond / base.requestsPerSecond);
      }
    }
    // The API-only workloads, after the compared ones: intake adds dossiers.
    const apiOnly: { workload: Workload; server: string; summary: Summary }[] = [];
    for (const workload of all.filter((w) => !w.baseline)) {
      apiOnly.push({ workload, server: 'API', summary: summarise(await apiRounds(api, workload, workload.name)) });
    }
    const queueAll = apiRuns.get(compared.find((w) => w.key === 'queue')!);
    const trackingAll = apiRuns.get(compared.find((w) => w.key === 'tracking')!);
    const statsYearAll = apiRuns.get(compared.find((w) => w.key === 'stats-year')!);
    if (growth.length) {
      growth.push({
        label: `all ${HISTORY_DAYS} days`,
        dossiers: DOSSIERS,
        open: await openDossiersOf(owner, targets),
        queue: queueAll ? summarise(queueAll) : null,
        tracking: trackingAll ? summarise(trackingAll) : null,
        statsYear: statsYearAll ? summarise(statsYearAll) : null,
      });
    }
    const peaks = servers.map((server) => ({ server, idle: idleRss.get(server)!, hwm: memoryKb(server.pid).hwm }));
    const loadAfter = os.loadavg()[0];
    await stopAll();

    // What the API sends for one request of each workload, and the plans on the full volume, in one
    // API server in this process (pg's Client.prototype.query is wrapped while a request runs). Each
    // request is sent once unrecorded first: the first one of a process also loads per-process caches.
    database = openPostgres(scratch.appUrl, { poolSize: 2 });
    recorder = await startServer({ config, database, logger: createLogger('silent'), port: 0 });
    const recorderUrl = `http://127.0.0.1:${recorder.port}`;
    const send = (request: LoadRequest) =>
      fetch(`${recorderUrl}${request.path}`, { method: 'POST', headers: request.headers, body: request.body }).then((response) => response.text());
    const count = async (request: LoadRequest) => {
      await send(request);
      return (await recordStatements(() => send(request))).length;
    };
    const explained: { name: string; statements: number; pages: string; plans: PlanSummary[] }[] = [];
    for (const workload of all) {
      const request = workload.api[0];
      await send(request);
      const statements = await recordStatements(() => send(request));
      const pages: string[] = [];
      for (const page of workload.pages ?? []) pages.push(`${page.label} → ${await count(page.request)}`);
      explained.push({ name: workload.name, statements: statements.length, pages: pages.join(', '), plans: await explainStatements(scratch.appUrl, workload.ministry ? { ministry: workload.ministry } : { tenantId: workload.tenantId }, statements) });
    }

    // ------------------------------------------------------------ the report
    const [{ server_version: postgres }] = (await owner.query('SHOW server_version')).rows;
    log();
    log(
      `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, PostgreSQL ${postgres}; ` +
        `autocannon ${CONNECTIONS} connections × ${DURATION} s per run, ${ROUNDS} rounds, a ${WARM_UP} s warm-up before the first; pools of ${POOL_SIZE}`,
    );
    // Anything else running on the machine takes its share of the same cores.
    log(`Load average (1 min) before the run ${loadBefore.toFixed(2)}, after ${loadAfter.toFixed(2)}.`);
    if (selected('queue') || selected('tracking')) {
      log(`Work queue: ${agency.name} (${agency.code}) in ${targets.province.slug}; tracking: ${TRACKED_CODES} random codes of all provinces.`);
    }
    if (selected('stats-month') || selected('stats-year')) {
      const [monthVolume, yearVolume] = [await receivedSince(owner, targets.province.id, PERIOD.month - 1), await receivedSince(owner, targets.province.id, 0)];
      log(
        `Statistics by agency in ${targets.province.slug}: ${PERIOD.month}/${PERIOD.year} so far (${thousands(monthVolume)} dossiers received) ` +
          `and ${PERIOD.year} so far (${thousands(yearVolume)}).`,
      );
    }
    if (selected('directory')) {
      const { rows } = await owner.query(`SELECT count(*)::int AS n FROM official WHERE tenant_id = $1`, [targets.province.id]);
      log(`Directory: officials(first: 50) of ${targets.province.slug} (${thousands(rows[0].n)} officials) with their agencies, as a province admin.`);
    }
    if (selected('intake')) {
      const { intake } = targets;
      log(
        `Intake: receiveDossier at ${intake.agency.name} (${intake.agency.code}) in ${intake.province.slug}, procedure ${intake.procedure.code} ` +
          `(documents ${intake.procedure.documents.join(', ') || 'none required'}), 200 applicants in rotation, by one clerk's token.`,
      );
    }
    log(
      `Servers: the API (node ${START_NODE_OPTIONS.join(' ')} src/main.ts, pid ${api.pid}) started in ${(api.startupMs / 1000).toFixed(2)} s (spawn → first 200 of /readyz)` +
        `${baseline ? `, the baseline in ${(baseline.startupMs / 1000).toFixed(2)} s` : ''}; ` +
        `each is the process spawned (it holds its listening socket).`,
    );
    if (descendants.length) log(`Child processes of the servers (their CPU is not counted): ${descendants.join('; ')}.`);
    log(`CPU: utime + stime of /proc/<pid>/stat (${CLOCK_TICKS} ticks/s) before and after each run, per completed request; RSS: VmRSS every 200 ms.`);
    log(`Resident memory: ${peaks.map((p) => `${p.server.name} ${megabytes(p.idle)} MB idle, peak (VmHWM) ${megabytes(p.hwm)} MB`).join('; ')}.`);
    log();
    if (compared.length) {
      log(`Statistics: the monthly roll-ups and the open dossiers, on every request, by both. Medians of ${ROUNDS} round${ROUNDS > 1 ? 's' : ''} (min–max of req/s).`);
    }
    for (const line of TABLE_HEAD) log(line);
    const samples: [string, string | null][] = [];
    for (const workload of compared) {
      const real = summarise(apiRuns.get(workload)!);
      const base = summarise(baselineRuns.get(workload)!);
      const perRound = ratios.get(workload)!;
      const ratio = `${median(perRound).toFixed(2)}× (${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)})`;
      log(row(workload.name, 'API', real, ratio));
      log(row('', 'baseline', base));
      samples.push([`${workload.name} (API)`, real.sample], [`${workload.name} (baseline)`, base.sample]);
    }
    for (const { workload, server, summary } of apiOnly) {
      log(row(workload.name, server, summary));
      samples.push([`${workload.name} (${server})`, summary.sample]);
    }
    if (selected('intake')) log(`(intake: API only, no baseline.)`);
    for (const [name, sample] of samples) if (sample) log(`  bad response in ${name}: ${sample}`);

    if (growth.length) {
      log();
      log(`The API as the table grows (same agency, same connections; medians of ${ROUNDS} round${ROUNDS > 1 ? 's' : ''}):`);
      log(`volume             dossiers   agency's open   ──── work queue ────   ───── tracking ─────   ── stats, year to date ──`);
      log(`                                                req/s p50 ms p99 ms    req/s p50 ms p99 ms    req/s p50 ms p99 ms`);
      const blank = `${' '.repeat(21)}`;
      for (const stage of growth) {
        log(
          `${stage.label.padEnd(16)}${cell(thousands(stage.dossiers), 11)}${cell(thousands(stage.open), 16)}  ` +
            `${stage.queue ? stageFigures(stage.queue) : blank}   ${stage.tracking ? stageFigures(stage.tracking) : blank}   ${stage.statsYear ? stageFigures(stage.statsYear) : blank}`,
        );
        for (const [name, summary] of [['queue', stage.queue], ['tracking', stage.tracking], ['stats, year', stage.statsYear]] as const) {
          if (summary?.sample) log(`  bad response in ${name}, ${stage.label}: ${summary.sample}`);
        }
      }
    }

    log();
    log(`Statements per request (BEGIN, role and province, queries, COMMIT), recorded in one in-process API server after the runs:`);
    for (const { name, statements, pages } of explained) log(`${name.padEnd(14)}${cell(String(statements), 4)}${pages ? `   at other page sizes: ${pages}` : ''}`);
    log();
    log(`EXPLAIN (ANALYZE, BUFFERS) of the API's statements on the full volume, as egov_app with the province set:`);
    for (const { name, plans } of explained) printPlans(name, plans);

    const bad =
      [...apiRuns.values(), ...baselineRuns.values()].flat().reduce((sum, run) => sum + run.bad, 0) +
      apiOnly.reduce((sum, { summary }) => sum + summary.bad, 0) +
      growth.slice(0, 1).reduce((sum, stage) => sum + (stage.queue?.bad ?? 0) + (stage.tracking?.bad ?? 0) + (stage.statsYear?.bad ?? 0), 0);
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
