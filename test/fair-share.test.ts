// Fair sharing through the server: rate limits counted across two server processes (this test's
// in-process server and a second one started as its own process, on the same database), a
// province's daily quota set by a platform admin, and the cap on a province's operations in flight.
import crypto from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { startServerProcess, type ServerProcess } from './support/run-script';
import { startTestApi, TEST_JWT_SECRET, type TestApi } from './support/api';
import { province } from './support/fixtures';
import { RECEIVE, intake, openDesk } from './support/dossier-fixtures';

const WINDOW_SECONDS = 3;
const LIMITS = { RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS), RATE_LIMIT_PER_SUBJECT: '6', RATE_LIMIT_PER_ADDRESS: '4' };

let api: TestApi;
let second: ServerProcess;
let childUrl: string;

beforeAll(async () => {
  api = await startTestApi(LIMITS);
  second = await startServerProcess({ ...LIMITS, JWT_SECRET: TEST_JWT_SECRET });
  childUrl = second.url;
}, 70_000);

afterAll(async () => {
  second?.stop();
  await api?.close();
});

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: any; errors?: { message: string; extensions: Record<string, any> }[] };
}

async function ask(url: string, query: string, headers: Record<string, string>, variables: Record<string, unknown> = {}): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer["body"] };
}

const codeOf = (answer: Answer) => answer.body.errors?.[0]?.extensions.code ?? null;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A made-up client address (a test network, RFC 5737), new each time: nobody else's counter. */
const newAddress = () => `198.51.100.${crypto.randomInt(1, 254)}, 203.0.113.${crypto.randomInt(1, 254)}`;

const PROVINCE_QUERY = '{ province { name } }';

test('a signed-in caller is refused after the limit on both servers, with Retry-After, also over WebSocket, and served again after the window', async () => {
  const quangTri = province('quang-tri');
  // A subject of its own (a CCCD, as VNeID gives): nobody else's counter.
  const token = await api.token({ province: quangTri.id, roles: ['citizen'], sub: `cccd:0442030${crypto.randomInt(10_000, 99_999)}` });
  const auth = { authorization: `Bearer ${token}` };
  const servers = [api.url, childUrl];
  const served: Answer[] = [];
  for (let i = 0; i < 6; i++) served.push(await ask(servers[i % 2], PROVINCE_QUERY, auth));
  expect(served.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
  expect(served[0].body.data.province.name).toBe(quangTri.name);

  // Six in all, three on each: the seventh is refused by either process.
  for (const url of servers) {
    const refused = await ask(url, PROVINCE_QUERY, auth);
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(refused.body.errors![0].message).toMatch(/Tài khoản đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau \d+ giây./);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(refused.body.errors![0].extensions.retryAfterSeconds).toBe(Number(refused.retryAfter));
  }
  const socket = createClient({ url: childUrl.replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: auth, retryAttempts: 0 });
  try {
    const overSocket = await new Promise<any>((resolve) => {
      socket.subscribe({ query: PROVINCE_QUERY }, { next: resolve, error: resolve, complete: () => undefined });
    });
    expect(overSocket.errors?.[0]?.extensions?.code ?? overSocket[0]?.extensions?.code).toBe('RATE_LIMITED');
  } finally {
    await socket.dispose();
  }

  await pause(WINDOW_SECONDS * 1000 + 200);
  const again = await Promise.all(servers.map((url) => ask(url, PROVINCE_QUERY, auth)));
  expect(again.map((answer) => answer.status)).toEqual([200, 200]);
}, 30_000);

test('an anonymous client is counted by its address across both servers; another address is not held by it', async () => {
  const address = newAddress();
  const from = (forwardedFor: string) => ({ 'x-province': 'da-nang', 'x-forwarded-for': forwardedFor });
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await ask([api.url, childUrl][i % 2], PROVINCE_QUERY, from(address))).status);
  expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  expect((await ask(api.url, PROVINCE_QUERY, from(newAddress()))).status).toBe(200);
  await pause(WINDOW_SECONDS * 1000 + 200);
  expect((await ask(childUrl, PROVINCE_QUERY, from(address))).status).toBe(200);
}, 30_000);

test("a province's daily quota is data a platform admin sets: beyond it the province is refused until midnight, the admin is not", async () => {
  const vinhLong = province('vinh-long');
  const platformAdmin = await api.token({ roles: ['platform_admin'], sub: `operator-${crypto.randomUUID()}` });
  const asAdmin = { authorization: `Bearer ${platformAdmin}`, 'x-province': 'vinh-long' };
  const SET = 'mutation($n: Int) { setProvinceQuota(requestsPerDay: $n) { requestsPerDay requestsToday } }';

  // A subject of its own: the default one is shared with other suites, whose operations count against it.
  const provinceAdmin = await api.token({ province: vinhLong.id, roles: ['official', 'province_admin'], sub: `admin-${crypto.randomUUID()}` });
  const refusedToProvinceAdmin = await ask(api.url, SET, { authorization: `Bearer ${provinceAdmin}` }, { n: 1_000_000 });
  expect(codeOf(refusedToProvinceAdmin)).toBe('FORBIDDEN');
  expect(codeOf(await ask(api.url, SET, asAdmin, { n: 0 }))).toBe('BAD_USER_INPUT');

  // The count of the day so far (other tests' operations in Vĩnh Long, if any), then three more allowed.
  const opened = await ask(api.url, SET, asAdmin, { n: 1_000_000 });
  expect(opened.status).toBe(200);
  const allowed = (await ask(api.url, '{ provinceQuota { requestsToday } }', { authorization: `Bearer ${provinceAdmin}` })).body.data.provinceQuota.requestsToday + 3;
  try {
    const set = await ask(api.url, SET, asAdmin, { n: allowed });
    expect(set.body.data.setProvinceQuota.requestsPerDay).toBe(allowed);
    const anonymous = (i: number) => ask([api.url, childUrl][i % 2], PROVINCE_QUERY, { 'x-province': 'vinh-long', 'x-forwarded-for': newAddress() });
    // The second server reads the quota within its cache's refresh (30 s): count on this one first.
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask(api.url, PROVINCE_QUERY, { 'x-province': 'vinh-long', 'x-forwarded-for': newAddress() })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await anonymous(0);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(refused.body.errors![0].message).toContain('Tỉnh Vĩnh Long đã dùng hết hạn mức yêu cầu trong ngày');
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(86_400);
    // Another province is not held by it.
    expect((await ask(api.url, PROVINCE_QUERY, { 'x-province': 'da-nang', 'x-forwarded-for': newAddress() })).status).toBe(200);
  } finally {
    const cleared = await ask(api.url, SET, asAdmin, { n: null });
    expect(cleared.body.data.setProvinceQuota.requestsPerDay).toBeNull();
  }
  expect((await ask(api.url, PROVINCE_QUERY, { 'x-province': 'vinh-long', 'x-forwarded-for': newAddress() })).status).toBe(200);
}, 30_000);

describe('the cap on a province\'s operations in flight', () => {
  let capped: TestApi;
  let owner: pg.Client;

  beforeAll(async () => {
    capped = await startTestApi({ DATABASE_POOL_SIZE: '5', PROVINCE_MAX_CONCURRENT: '2', PROVINCE_MAX_QUEUED: '2', PROVINCE_QUEUE_MS: '500' });
    owner = new pg.Client({ connectionString: process.env.TEST_OWNER_URL });
    await owner.connect();
  });

  afterAll(async () => {
    await owner?.end();
    await capped?.close();
  });

  test("while one province's intakes hang on a lock, another province's query answers at once; the overflow is refused with PROVINCE_BUSY", async () => {
    const desk = await openDesk(capped, 'can-tho', 'Sở Tư pháp');
    // Every intake of Cần Thơ now waits on the counter table until the lock goes: six of them would
    // hold every connection of the pool (five) without the cap.
    await owner.query('BEGIN');
    await owner.query('LOCK TABLE dossier_counter IN ACCESS EXCLUSIVE MODE');
    let intakes: Promise<Answer>[] = [];
    try {
      intakes = Array.from({ length: 6 }, () => ask(capped.url, RECEIVE, { authorization: `Bearer ${desk.clerk}`, 'x-province': desk.slug }, { input: intake(desk) }));
      await pause(300);
      const startedAt = performance.now();
      const other = await ask(capped.url, '{ agencies(first: 1) { totalCount } }', { 'x-province': 'da-nang' });
      const tookMs = performance.now() - startedAt;
      expect(other.status).toBe(200);
      expect(other.body.data.agencies.totalCount).toBeGreaterThan(0);
      expect(tookMs).toBeLessThan(1000);
      await pause(700); // the two in line have waited their 500 ms
    } finally {
      await owner.query('COMMIT');
    }
    const answers = await Promise.all(intakes);
    const busy = answers.filter((answer) => codeOf(answer) === 'PROVINCE_BUSY');
    expect(answers.filter((answer) => answer.status === 200 && answer.body.data?.receiveDossier?.code)).toHaveLength(2);
    expect(busy).toHaveLength(4);
    for (const answer of busy) {
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toBe('1');
      expect(answer.body.errors![0].message).toMatch(/^Thành phố Cần Thơ đang xử lý nhiều yêu cầu cùng lúc. Vui lòng thử lại sau ít giây. \(mã yêu cầu [\w-]+\)$/);
    }
    // The slots came back: the province is served again.
    expect((await ask(capped.url, PROVINCE_QUERY, { 'x-province': desk.slug })).status).toBe(200);
  }, 30_000);
});
