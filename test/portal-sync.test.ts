// The outbox to the national public-service portal, against a real HTTP server standing in for the
// portal that can refuse, hang, answer slowly or go down on demand. Nothing is lost, and after an
// outage each change is delivered once: retries carry the same idempotency key. The sends run as
// jobs of the platform's job runner; several runners (server processes) never send a change twice.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApi, type TestApi } from './support/api';
import { openPostgres, type Database } from '../src/db/database';
import { createLogger } from '../src/logger';
import { runDueJobs, startJobRunner, type JobRunner, type JobTasks } from '../src/jobs/job-runner';
import { portalSyncTasks, syncQueueOf, SYNC_LANES_PER_PROVINCE, type PortalSyncSettings } from '../src/modules/dossiers/portal-sync.service';
import { outcomeOfReply, retryDelayMs } from '../src/jobs/http-delivery';
import { province } from './support/fixtures';
import { MOVE, RECEIVE, decodeId, intake, openDesk, type Desk } from './support/dossier-fixtures';

type Mode = 'ok' | 'refuse' | 'reject' | 'hang' | 'slow';

/** The stand-in portal: remembers each change once per idempotency key, and every delivery. */
class FakePortal {
  mode: Mode = 'ok';
  /** In 'slow' mode, how long an answer takes. */
  slowMs = 900;
  /** Dossier codes starting with this prefix hang, whatever the mode (one province's sends stuck). */
  hangPrefix: string | null = null;
  readonly deliveries: string[] = [];
  /** Keys answered 200, once per answer. */
  readonly acknowledged: string[] = [];
  readonly changes = new Map<string, { MaHoSo: string; TrangThaiHoSo: string }>();
  private server = http.createServer((request, response) => this.handle(request, response));
  private hanging: http.ServerResponse[] = [];
  port = 0;

  async start() {
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Goes down: new connections are refused until start() again. */
  async stop() {
    this.hanging.forEach((response) => response.destroy());
    this.hanging = [];
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server = http.createServer((request, response) => this.handle(request, response));
  }

  /** Sends held open right now. */
  get hangingCount() {
    return this.hanging.filter((response) => !response.destroyed && !response.writableEnded).length;
  }

  get url() {
    return `http://127.0.0.1:${this.port}/dongbo/hoso`;
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse) {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const key = String(request.headers['idempotency-key']);
      this.deliveries.push(key);
      const change = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (this.mode === 'hang' || (this.hangPrefix && change.MaHoSo.startsWith(this.hangPrefix))) return void this.hanging.push(response);
      if (this.mode === 'refuse') return void response.writeHead(503).end('Hệ thống đang bảo trì');
      if (this.mode === 'reject') return void response.writeHead(400).end('{"error":"MaTTHC không tồn tại"}');
      const answer = () => {
        const duplicate = this.changes.has(key);
        if (!duplicate) this.changes.set(key, change);
        this.acknowledged.push(key);
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 0, duplicate }));
      };
      if (this.mode === 'slow') setTimeout(answer, this.slowMs);
      else answer();
    });
  }
}

let api: TestApi;
let owner: Database;
let portal: FakePortal;
let desk: Desk;
const logger = createLogger('silent');
const settingsFor = (overrides: Partial<PortalSyncSettings> = {}): PortalSyncSettings => ({ url: portal.url, timeoutMs: 400, retryBaseMs: 20, maxAttempts: 4, ...overrides });
const syncTasks = (overrides: Partial<PortalSyncSettings> = {}): JobTasks => portalSyncTasks({ platform: api.server.platform, settings: settingsFor(overrides) });
/** Every job due now, as one worker: what a round of the old polling worker did. */
const worker = { runOnce: () => runDueJobs({ database: api.database, connectionString: process.env.TEST_APP_URL, logger, tasks: syncTasks() }) };
const runners: JobRunner[] = [];
const startRunner = async (concurrency: number, overrides: Partial<PortalSyncSettings> = {}) => {
  const runner = await startJobRunner({ database: api.database, connectionString: process.env.TEST_APP_URL, logger, tasks: syncTasks(overrides), concurrency, pollMs: 100 });
  runners.push(runner);
  return runner;
};

beforeAll(async () => {
  api = await startTestApi();
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  portal = new FakePortal();
  await portal.start();
  desk = await openDesk(api, 'can-tho', 'Sở Tư pháp');
  // Other suites share this database and leave their dossiers' sends waiting: not ours to send.
  await owner.prisma.$queryRaw`SELECT graphile_worker.remove_job(key) FROM graphile_worker.jobs WHERE key IS NOT NULL AND locked_at IS NULL`;
});

afterAll(async () => {
  await Promise.all(runners.map((runner) => runner.stop()));
  await portal.stop();
  await api.close();
  await owner.close();
});

const as = (token: string) => ({ token, province: desk.slug });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const recordsOf = (code: string) => owner.prisma.portalSyncRecord.findMany({ where: { dossierCode: code }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });

async function dossierWithTwoChanges(at: Desk = desk) {
  const received = await api.gql(RECEIVE, { input: intake(at) }, { token: at.clerk, province: at.slug });
  expect(received.errors).toBeUndefined();
  const { code, dossier } = received.data!.receiveDossier;
  const moved = await api.gql(MOVE, { input: { dossierId: dossier.id, action: 'START_PROCESSING' } }, { token: at.clerk, province: at.slug });
  expect(moved.errors).toBeUndefined();
  return { code: code as string, id: decodeId(dossier.id) };
}

test('survives the portal being down, then hanging, and delivers each change once, in order', async () => {
  const { code } = await dossierWithTwoChanges();
  const [first, second] = await recordsOf(code);

  await portal.stop();
  await worker.runOnce();
  let records = await recordsOf(code);
  expect(records.map((record) => [record.state, record.attempts])).toEqual([['PENDING', 1], ['PENDING', 0]]);
  expect(records[0].lastError).toMatch(/fetch failed|ECONNREFUSED/i);

  await portal.start();
  portal.mode = 'hang';
  await pause(60);
  await worker.runOnce();
  records = await recordsOf(code);
  expect(records.map((record) => [record.state, record.attempts])).toEqual([['PENDING', 2], ['PENDING', 0]]);
  expect(records[0].lastError).toMatch(/timeout|abort/i);
  // The portal did get it while hanging: the retry must be recognisable as the same change.
  expect(portal.deliveries.filter((key) => key === first.id)).toHaveLength(1);

  portal.mode = 'ok';
  await pause(120);
  await worker.runOnce();
  records = await recordsOf(code);
  expect(records.map((record) => record.state)).toEqual(['ACKNOWLEDGED', 'ACKNOWLEDGED']);
  expect(portal.deliveries.filter((key) => key === first.id)).toHaveLength(2);
  const received = [...portal.changes.entries()].filter(([, change]) => change.MaHoSo === code);
  expect(received.map(([key, change]) => [key, change.TrangThaiHoSo])).toEqual([[first.id, '2'], [second.id, '4']]);
  expect(records[1].reply).toContain('"duplicate":false');
});

test('a refusal is retried with backoff and, after the last attempt, marked FAILED for an operator', async () => {
  const { code } = await dossierWithTwoChanges();
  portal.mode = 'refuse';
  for (let round = 0; round < 4; round++) {
    await worker.runOnce();
    await pause(retryDelayMs(round + 1, 20) + 30);
  }
  const records = await recordsOf(code);
  expect(records.map((record) => [record.state, record.attempts])).toEqual([['FAILED', 4], ['PENDING', 0]]);
  expect(records[0].lastError).toContain('503');

  // The operator replays it once the portal is back; the dossier's next change follows it.
  portal.mode = 'ok';
  const replay = await api.gql(`mutation($ids: [ID!]!) { replayPortalSync(ids: $ids) }`, { ids: [globalId(records[0].id)] }, as(desk.admin));
  expect(replay.data).toEqual({ replayPortalSync: 1 });
  await worker.runOnce();
  expect((await recordsOf(code)).map((record) => record.state)).toEqual(['ACKNOWLEDGED', 'ACKNOWLEDGED']);
});

test('a rejection is kept with the portal’s reply and listed for operators', async () => {
  const { code } = await dossierWithTwoChanges();
  portal.mode = 'reject';
  await worker.runOnce();
  const [rejected] = await recordsOf(code);
  expect(rejected.state).toBe('REJECTED');
  expect(rejected.reply).toContain('MaTTHC không tồn tại');
  const listed = await api.gql(`{ portalSyncRecords(first: 200, state: REJECTED) { edges { node { dossierCode reply } } } portalSyncSummary { rejected } }`, {}, as(desk.admin));
  expect(listed.data!.portalSyncRecords.edges.map((edge: any) => edge.node.dossierCode)).toContain(code);
  expect(listed.data!.portalSyncSummary.rejected).toBeGreaterThanOrEqual(1);
  const notForClerks = await api.gql(`{ portalSyncSummary { rejected } }`, {}, as(desk.clerk));
  expect(notForClerks.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  portal.mode = 'ok';
});

async function receiveAt(someDesk: Desk) {
  const received = await api.gql(RECEIVE, { input: intake(someDesk) }, { token: someDesk.clerk, province: someDesk.slug });
  expect(received.errors).toBeUndefined();
  return decodeId(received.data!.receiveDossier.dossier.id);
}

/** Waits (every 100 ms, at most `ms`) until `done` holds; returns whether it did. */
async function within(ms: number, done: () => Promise<boolean>) {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await pause(100)) if (await done()) return true;
  return done();
}

const settledOf = (dossierIds: string[]) => owner.prisma.portalSyncRecord.findMany({ where: { dossierId: { in: dossierIds } }, select: { id: true, state: true } });

test('two workers against a portal answering in 0.9 s acknowledge each of 40 changes exactly once', async () => {
  // One province, so that a worker with nothing else to do is free to take the other's work.
  const dossierIds: string[] = [];
  for (let i = 0; i < 20; i++) dossierIds.push((await dossierWithTwoChanges()).id);
  const records = await settledOf(dossierIds);
  expect(records).toHaveLength(40);
  portal.mode = 'slow';
  portal.slowMs = 900;
  // Two server processes; a send may take up to 1 s, less than the 40 × 0.9 s the lot takes.
  const pair = [await startRunner(4, { timeoutMs: 1000 }), await startRunner(4, { timeoutMs: 1000 })];
  const allSettled = await within(40_000, async () => (await settledOf(dossierIds)).every((record) => record.state === 'ACKNOWLEDGED'));
  await Promise.all(pair.map((runner) => runner.stop()));
  portal.mode = 'ok';
  expect(allSettled).toBe(true);
  const acknowledgedTimes = records.map((record) => portal.acknowledged.filter((key) => key === record.id).length);
  expect(acknowledgedTimes).toEqual(records.map(() => 1));
  expect(records.map((record) => portal.deliveries.filter((key) => key === record.id).length)).toEqual(records.map(() => 1));
});

test('a province whose portal hangs holds a few sends; another province’s go through meanwhile', async () => {
  const other = await openDesk(api, 'da-nang', 'Sở Tư pháp');
  portal.mode = 'ok';
  portal.hangPrefix = desk.agencyCode; // Cần Thơ's dossier codes start with its agency's code
  const stuck: string[] = [];
  for (let i = 0; i < 8; i++) stuck.push(await receiveAt(desk));
  const flowing: string[] = [];
  for (let i = 0; i < 4; i++) flowing.push(await receiveAt(other));
  const started = Date.now();
  const runner = await startRunner(8, { timeoutMs: 4000 });
  try {
    const through = await within(3000, async () => (await settledOf(flowing)).every((record) => record.state === 'ACKNOWLEDGED'));
    const elapsed = Date.now() - started;
    expect(through).toBe(true);
    // Well before the first hanging send times out, and with at most one queue's worth per lane held.
    expect(elapsed).toBeLessThan(3500);
    expect(portal.hangingCount).toBeGreaterThan(0);
    expect(portal.hangingCount).toBeLessThanOrEqual(SYNC_LANES_PER_PROVINCE);
    expect((await settledOf(stuck)).every((record) => record.state === 'PENDING')).toBe(true);
  } finally {
    portal.hangPrefix = null;
    await runner.stop();
  }
});

test.each([
  ['a0000000-0000-4000-8000-000000000001'],
  ['5f7c1e2a-9b3d-4c8e-a1f0-2d6b7e8c9a10'],
])('a dossier always runs in the same one of its province’s queues (%s)', (dossierId) => {
  const queue = syncQueueOf('t1', dossierId);
  expect(syncQueueOf('t1', dossierId)).toBe(queue);
  expect(queue).toMatch(new RegExp(`^portal-sync:t1:[0-${SYNC_LANES_PER_PROVINCE - 1}]$`));
});

const globalId = (id: string) => Buffer.from(`PortalSyncRecord:${id}`).toString('base64');

describe('how a reply settles a record', () => {
  test.each([
    [200, 'acknowledged'],
    [201, 'acknowledged'],
    [400, 'rejected'],
    [422, 'rejected'],
    [408, 'retry'],
    [409, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
  ])('HTTP %i → %s', (status, kind) => {
    expect(outcomeOfReply(status, 'body').kind).toBe(kind);
  });

  test.each([
    [1, 1000, 1000],
    [2, 1000, 2000],
    [5, 1000, 16_000],
    [30, 1000, 3_600_000],
  ])('attempt %i waits base %i × 2^(n−1), at most an hour', (attempts, base, expected) => {
    expect(retryDelayMs(attempts, base)).toBe(expected);
  });
});
