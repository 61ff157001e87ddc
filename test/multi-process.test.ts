// Several API processes behind one database. The platform runs as several server processes over one
// PostgreSQL, so nothing that must hold for a province may rest on one process's memory: dossier
// numbers, the guard against two officials moving a dossier at once, live status, and the job runner
// that sends each change to the national portal. This file starts two server processes (A and B,
// `src/main.ts`, each with its job runner) beside the in-process test server, talks to them only over
// HTTP and WebSocket, and reads the database as its owner only to check what was written:
//   1. concurrent intakes at one agency through all three give unique, consecutive codes;
//   2. a dossier received through A is moved through B, and two conflicting moves through A and B at
//      once give one success and one client error, with one move logged;
//   3. a subscription on A hears a move made through B (LISTEN/NOTIFY);
//   4. the two processes' job runners deliver each status change to a stand-in portal exactly once,
//      in order per dossier, never two sends of one dossier at once.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { startServerProcess, subscriptionsSetUp, type ServerProcess } from './support/run-script';
import { startTestApi, TEST_JWT_SECRET, UNREACHED_RATE_LIMITS, type TestApi } from './support/api';
import { MOVE, RECEIVE, decodeId, openDesk, type Desk } from './support/dossier-fixtures';
import { openPostgres, type Database } from '../src/db/database';

/** The stand-in national portal: answers each send after `delayMs`, remembering every delivery. */
class StandInPortal {
  delayMs = 250;
  readonly deliveries: { key: string; via: string; code: string; status: string }[] = [];
  /** The most sends of one dossier it ever held open at once (must stay 1). */
  maxInFlightPerDossier = 0;
  private inFlight = new Map<string, number>();
  private server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const change = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const via = new URL(request.url!, 'http://portal').searchParams.get('via') ?? '?';
      this.deliveries.push({ key: String(request.headers['idempotency-key']), via, code: change.MaHoSo, status: String(change.TrangThaiHoSo) });
      const open = (this.inFlight.get(change.MaHoSo) ?? 0) + 1;
      this.inFlight.set(change.MaHoSo, open);
      this.maxInFlightPerDossier = Math.max(this.maxInFlightPerDossier, open);
      setTimeout(() => {
        this.inFlight.set(change.MaHoSo, this.inFlight.get(change.MaHoSo)! - 1);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"error_code":0}');
      }, this.delayMs);
    });
  });

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  /** Each process gets its own query string, so the portal can tell which one sent a change. */
  urlFor(via: string) {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/dongbo/hoso?via=${via}`;
  }

  stop() {
    this.server.closeAllConnections();
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

interface Answer {
  status: number;
  data?: any;
  errors?: { message: string; extensions?: Record<string, any> }[];
}

/** One GraphQL operation over HTTP to the server at `url`, as a client in `province` with `token`. */
async function ask(url: string, query: string, variables: Record<string, unknown>, options: { token?: string; province: string }): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-province': options.province };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: response.status, ...((await response.json()) as object) };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it holds or `ms` have passed; returns whether it held. */
async function waitFor(ms: number, check: () => boolean | Promise<boolean>, everyMs = 100): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await pause(everyMs)) if (await check()) return true;
  return check();
}

let applicants = 0;
/** A citizen of Vĩnh Long: name with diacritics, 12-digit CCCD (086: born in Vĩnh Long), mobile 09xxxxxxxx. */
function intakeAt(desk: Desk) {
  applicants++;
  const names = ['Nguyễn Thị Ngọc Hân', 'Trần Văn Phước', 'Lê Thị Mỹ Duyên', 'Võ Hoàng Khải', 'Huỳnh Thị Thu Trang'];
  return {
    procedureCode: desk.procedureCode,
    agencyId: desk.agencyId,
    applicant: {
      name: names[applicants % names.length],
      type: 'CITIZEN',
      idNumber: `086${String(195_000_000 + applicants).padStart(9, '0')}`,
      phone: `0939${String(200_000 + applicants).padStart(6, '0')}`,
      address: 'Số 12 đường Phạm Thái Bường, phường Phước Hậu, tỉnh Vĩnh Long',
    },
    summary: 'Hồ sơ nộp trực tiếp tại Trung tâm Phục vụ hành chính công tỉnh Vĩnh Long',
    documentsProvided: desk.requiredDocuments,
  };
}

let api: TestApi;
let owner: Database;
let portal: StandInPortal;
let a: ServerProcess;
let b: ServerProcess;
/** Sở Tư pháp of Vĩnh Long: moves, subscriptions and portal sync. */
let desk: Desk;
const sockets: Client[] = [];

beforeAll(async () => {
  portal = new StandInPortal();
  await portal.start();
  // Two job runners taking at most three sends each: a province's four queues need both of them,
  // and a runner always has a free slot for a job that would wrongly run beside its dossier's other.
  const processEnv = (via: string) => ({
    ...UNREACHED_RATE_LIMITS,
    JWT_SECRET: TEST_JWT_SECRET,
    NATIONAL_PORTAL_URL: portal.urlFor(via),
    JOB_CONCURRENCY: '3',
    SYNC_POLL_MS: '200',
    // Thirty intakes at once queue for the province's few slots per process: let them wait rather
    // than answer PROVINCE_BUSY on a loaded machine (capacity is not what this file is about).
    PROVINCE_QUEUE_MS: '30000',
  });
  // Assigned as each comes up, so that afterAll stops whatever started even if another failed to.
  await Promise.all([
    startTestApi({ PROVINCE_QUEUE_MS: '30000' }).then((started) => (api = started)),
    startServerProcess(processEnv('A')).then((started) => (a = started)),
    startServerProcess(processEnv('B')).then((started) => (b = started)),
  ]);
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  desk = await openDesk(api, 'vinh-long', 'Sở Tư pháp');
}, 90_000);

afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.dispose()));
  for (const child of [a, b]) {
    if (!child || child.child.exitCode !== null) continue;
    const exited = new Promise((resolve) => child.child.once('exit', resolve));
    child.stop();
    await exited;
  }
  await api?.close();
  await owner?.close();
  await portal?.stop();
}, 30_000);

const as = (token: string) => ({ token, province: desk.slug });

async function receiveThrough(url: string, at: Desk = desk) {
  const answer = await ask(url, RECEIVE, { input: intakeAt(at) }, { token: at.clerk, province: at.slug });
  expect(answer.errors).toBeUndefined();
  return answer.data!.receiveDossier as { code: string; secret: string; dossier: { id: string; status: string } };
}

async function moveThrough(url: string, token: string, dossierId: string, action: string, extra: Record<string, unknown> = {}) {
  const answer = await ask(url, MOVE, { input: { dossierId, action, ...extra } }, as(token));
  expect(answer.errors).toBeUndefined();
  return answer.data!.moveDossier as { status: string };
}

const LOG = `query($id: ID!) { node(id: $id) { ... on Dossier { status assignee { fullName } log { action fromStatus toStatus } } } }`;

test('concurrent intakes at one agency through three processes get unique, consecutive codes', async () => {
  // An agency no other test of this file receives at: its numbers of the day start here.
  const finance = await openDesk(api, 'vinh-long', 'Sở Tài chính');
  const agencyId = decodeId(finance.agencyId);
  const before = await owner.prisma.dossier.count({ where: { agencyId } });
  const servers = [a.url, b.url, api.url];
  const N = 30;
  const answers = await Promise.all(
    Array.from({ length: N }, (_, i) => ask(servers[i % servers.length], RECEIVE, { input: intakeAt(finance) }, { token: finance.clerk, province: finance.slug })),
  );
  expect(answers.flatMap((answer) => answer.errors ?? [])).toEqual([]);
  const codes: string[] = answers.map((answer) => answer.data.receiveDossier.code);
  expect(new Set(codes).size).toBe(N);

  // {agency code}-{yyMMdd}-{NNNN}: one agency, one day, numbers 1..N after what the day already had.
  const parts = codes.map((code) => /^(.+)-(\d{6})-(\d{4,})$/.exec(code)!);
  expect(parts.every(Boolean)).toBe(true);
  expect(new Set(parts.map((part) => part[1]))).toEqual(new Set([finance.agencyCode]));
  expect(new Set(parts.map((part) => part[2])).size).toBe(1);
  const day = parts[0][2];
  const earlierToday = await owner.prisma.dossier.count({ where: { agencyId, code: { contains: `-${day}-` }, NOT: { code: { in: codes } } } });
  const numbers = parts.map((part) => Number(part[3])).sort((x, y) => x - y);
  expect(numbers).toEqual(Array.from({ length: N }, (_, i) => earlierToday + i + 1));

  const written = await owner.prisma.dossier.findMany({ where: { agencyId, code: { in: codes } }, select: { code: true, status: true } });
  expect(written).toHaveLength(N);
  expect(written.every((dossier) => dossier.status === 'RECEIVED')).toBe(true);
  expect(await owner.prisma.dossier.count({ where: { agencyId } })).toBe(before + N);
}, 60_000);

test('a dossier received through A is moved through B; conflicting moves through A and B at once: one wins, one is refused', async () => {
  const receipt = await receiveThrough(a.url);
  const id = receipt.dossier.id;
  const started = await moveThrough(b.url, desk.clerk, id, 'START_PROCESSING', { assigneeId: desk.handlerId });
  expect(started.status).toBe('IN_PROGRESS');
  // A sees what B wrote.
  const seenByA = await ask(a.url, LOG, { id }, as(desk.leader));
  expect(seenByA.data.node).toMatchObject({ status: 'IN_PROGRESS', assignee: { fullName: desk.officials[1].fullName } });

  // Two conflicting decisions at once: the handler finishes through A while the leader asks for papers through B.
  const [finish, supplement] = await Promise.all([
    ask(a.url, MOVE, { input: { dossierId: id, action: 'FINISH' } }, as(desk.handler)),
    ask(b.url, MOVE, { input: { dossierId: id, action: 'REQUEST_SUPPLEMENT', note: 'Bổ sung bản sao Giấy khai sinh có chứng thực' } }, as(desk.leader)),
  ]);
  const answers = [finish, supplement];
  const won = answers.filter((answer) => !answer.errors);
  const lost = answers.filter((answer) => answer.errors);
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(1);
  const refusal = lost[0];
  expect(['CONFLICT', 'TRANSITION_NOT_ALLOWED']).toContain(refusal.errors![0].extensions?.code);
  expect(refusal.status).toBeGreaterThanOrEqual(400);
  expect(refusal.status).toBeLessThan(500);
  const winner = won[0] === finish ? { action: 'FINISH', status: 'RESULT_READY' } : { action: 'REQUEST_SUPPLEMENT', status: 'SUPPLEMENT_REQUESTED' };
  expect(won[0].data.moveDossier.status).toBe(winner.status);

  const detail = await ask(b.url, LOG, { id }, as(desk.leader));
  expect(detail.data.node.status).toBe(winner.status);
  expect(detail.data.node.log.map((entry: any) => [entry.action, entry.fromStatus, entry.toStatus])).toEqual([
    ['RECEIVE', null, 'RECEIVED'],
    ['START_PROCESSING', 'RECEIVED', 'IN_PROGRESS'],
    [winner.action, 'IN_PROGRESS', winner.status],
  ]);
  const stored = await owner.prisma.dossier.findFirstOrThrow({ where: { code: receipt.code }, include: { log: true } });
  expect(stored.status).toBe(winner.status);
  expect(stored.log).toHaveLength(3);
  expect(await owner.prisma.portalSyncRecord.count({ where: { dossierCode: receipt.code } })).toBe(3);
});

test('the same move sent through A and B at once is made once', async () => {
  // A double click from two counters, ten times over: each time exactly one START_PROCESSING.
  const receipts = await Promise.all(Array.from({ length: 10 }, (_, i) => receiveThrough(i % 2 ? a.url : b.url)));
  const rounds = await Promise.all(
    receipts.map((receipt) =>
      Promise.all([a.url, b.url].map((url) => ask(url, MOVE, { input: { dossierId: receipt.dossier.id, action: 'START_PROCESSING' } }, as(desk.clerk)))),
    ),
  );
  for (const answers of rounds) {
    expect(answers.filter((answer) => !answer.errors).map((answer) => answer.data.moveDossier.status)).toEqual(['IN_PROGRESS']);
    const codes = answers.flatMap((answer) => answer.errors ?? []).map((error) => error.extensions?.code);
    expect(codes).toHaveLength(1);
    expect(['CONFLICT', 'TRANSITION_NOT_ALLOWED']).toContain(codes[0]);
  }
  const stored = await owner.prisma.dossier.findMany({ where: { code: { in: receipts.map((receipt) => receipt.code) } }, include: { log: true } });
  expect(stored).toHaveLength(10);
  for (const dossier of stored) {
    expect(dossier.status).toBe('IN_PROGRESS');
    expect(dossier.log.map((entry) => entry.action).sort()).toEqual(['RECEIVE', 'START_PROCESSING']);
  }
});

test('a subscription on process A hears the moves made through process B', async () => {
  const receipt = await receiveThrough(api.url);
  const socket = createClient({ url: a.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { province: desk.slug }, retryAttempts: 0 });
  sockets.push(socket);
  const values: any[] = [];
  const errors: unknown[] = [];
  socket.subscribe(
    {
      query: `subscription WatchAcrossProcesses($code: String!, $secret: String!) { dossierStatusChanged(code: $code, secret: $secret) { code status statusName } }`,
      variables: { code: receipt.code, secret: receipt.secret },
    },
    { next: (value) => values.push(value), error: (error) => errors.push(error), complete: () => undefined },
  );
  // A counts the subscribe step once it has run (the listener is in place): wait for that, not for a guess.
  expect(await subscriptionsSetUp(a.url, 'WatchAcrossProcesses')).toBe(true);

  await moveThrough(b.url, desk.clerk, receipt.dossier.id, 'START_PROCESSING');
  expect(await waitFor(10_000, () => values.length >= 1 || errors.length > 0)).toBe(true);
  await moveThrough(b.url, desk.handler, receipt.dossier.id, 'REQUEST_SUPPLEMENT', { note: 'Bổ sung tờ khai có chữ ký của người yêu cầu' });
  expect(await waitFor(10_000, () => values.length >= 2 || errors.length > 0)).toBe(true);
  expect(errors).toEqual([]);
  expect(values.map((value) => value.data.dossierStatusChanged)).toEqual([
    { code: receipt.code, status: 'IN_PROGRESS', statusName: 'Đang xử lý' },
    { code: receipt.code, status: 'SUPPLEMENT_REQUESTED', statusName: 'Yêu cầu bổ sung giấy tờ' },
  ]);
});

test("two processes' job runners deliver each status change to the portal exactly once, in order per dossier", async () => {
  // Sixteen dossiers, each moved four times, the moves alternating between A and B, each made while
  // the dossier's previous change is on its way to the portal (its job is running): 80 changes.
  const receipts = await Promise.all(Array.from({ length: 16 }, (_, i) => receiveThrough(i % 2 ? a.url : b.url)));
  const moves = [
    { url: b.url, token: desk.clerk, action: 'START_PROCESSING' },
    { url: a.url, token: desk.handler, action: 'REQUEST_SUPPLEMENT', note: 'Bổ sung bản sao Căn cước có chứng thực' },
    { url: b.url, token: desk.clerk, action: 'RESUME_AFTER_SUPPLEMENT' },
    { url: a.url, token: desk.handler, action: 'FINISH' },
  ];
  const arrived = (code: string) => portal.deliveries.filter((delivery) => delivery.code === code).length;
  await Promise.all(
    receipts.map(async ({ code, dossier }) => {
      for (const [step, { url, token, action, note }] of moves.entries()) {
        expect(await waitFor(20_000, () => arrived(code) > step, 5)).toBe(true);
        await moveThrough(url, token, dossier.id, action, note ? { note } : {});
      }
    }),
  );
  const codes = receipts.map((receipt) => receipt.code);
  const records = () =>
    owner.prisma.portalSyncRecord.findMany({ where: { dossierCode: { in: codes } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true, dossierCode: true, state: true } });
  expect(await records()).toHaveLength(80);
  const settled = await waitFor(30_000, async () => (await records()).every((record) => record.state === 'ACKNOWLEDGED'));
  expect(settled).toBe(true);
  const all = await records();

  const deliveriesOf = (key: string) => portal.deliveries.filter((delivery) => delivery.key === key);
  expect(all.map((record) => deliveriesOf(record.id).length)).toEqual(all.map(() => 1));
  // In order per dossier: the portal saw each dossier's changes as the outbox wrote them.
  for (const code of codes) {
    const written = all.filter((record) => record.dossierCode === code).map((record) => record.id);
    const delivered = portal.deliveries.filter((delivery) => delivery.code === code);
    expect(delivered.map((delivery) => delivery.key)).toEqual(written);
    expect(delivered.map((delivery) => delivery.status)).toEqual(['2', '4', '5', '4', '9']);
  }
  // Never two sends of one dossier at once, in this test or before it.
  expect(portal.maxInFlightPerDossier).toBe(1);
  // Both processes did the sending, so the above held across them.
  const senders = new Set(all.map((record) => deliveriesOf(record.id)[0].via));
  expect(senders).toEqual(new Set(['A', 'B']));
  // And nothing the portal ever got in this run (the other tests' changes too) came twice.
  const keys = portal.deliveries.map((delivery) => delivery.key);
  expect(keys.length - new Set(keys).size).toBe(0);
}, 90_000);
