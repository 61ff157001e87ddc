// Issue bullets covered (issue 9): production defaults (introspection and field suggestions off over
// HTTP and WebSocket, no query page, no X-Powered-By, a safe X-Request-Id only, the query page not
// framable); malformed JSON and oversized bodies answer a coded JSON error without stack or paths,
// logged as JSON with the request id; CORS for the provinces' host names and configured origins,
// preflight answered; gzip on request; GET /metrics counts operations by name, province and outcome,
// shows the pool and the portal sync backlog, counts RATE_LIMITED refusals, and needs METRICS_TOKEN.
import http from 'node:http';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import pino from 'pino';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { startTestApi, type TestApi } from './support/api';
import { RECEIVE, intake, openDesk } from './support/dossier-fixtures';
import { province } from './support/fixtures';

const METRICS_TOKEN = 'scrape-token-for-tests-0123456789';
const logLines: Record<string, any>[] = [];
let dev: TestApi;
let prod: TestApi;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  [dev, prod] = await Promise.all([
    startTestApi({ CORS_ORIGINS: 'http://localhost:5173', TRACKING_FAILURES_PER_CLIENT: '2' }, { logger: pino({ level: 'info' }, sink) }),
    startTestApi({ NODE_ENV: 'production', METRICS_TOKEN }),
  ]);
});
afterAll(async () => {
  await dev?.close();
  await prod?.close();
});

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body as sent on the wire (compressed when content-encoding says so). */
  wireBytes: number;
}

/** node:http, so that the test chooses every header (Origin, Accept-Encoding) and sees the raw answer. */
function raw(api: TestApi, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Raw> {
  const url = api.url.replace(/\/graphql$/, path);
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const wire = Buffer.concat(chunks);
        const encoding = response.headers['content-encoding'];
        const plain = encoding === 'gzip' ? zlib.gunzipSync(wire) : encoding === 'br' ? zlib.brotliDecompressSync(wire) : wire;
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: plain.toString('utf8'), wireBytes: wire.length });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

const postJson = (api: TestApi, body: string | Buffer, headers: Record<string, string> = {}) =>
  raw(api, 'POST', '/graphql', { 'content-type': 'application/json', ...headers }, body);

/** What a stack trace or a server path would look like in an answer. */
const LEAKS = /\bat [\w.<>]+ \(|node_modules|\/work\/|\/src\/|\.ts:\d+|<html|<pre/i;

function wsClient(api: TestApi) {
  return createClient({ url: api.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
}

function wsQuery(api: TestApi, query: string, operationName?: string): Promise<{ data?: any; errors?: any[] }> {
  const client = wsClient(api);
  return new Promise((resolve) => {
    let result: { data?: any; errors?: any[] } = {};
    client.subscribe(
      { query, operationName },
      {
        next: (value) => void (result = value as typeof result),
        error: (errors) => {
          void client.dispose();
          resolve({ errors: Array.isArray(errors) ? errors : [errors] });
        },
        complete: () => {
          void client.dispose();
          resolve(result);
        },
      },
    );
  });
}

describe('production hides the schema', () => {
  const INTROSPECTION = ['{ __schema { queryType { name } } }', '{ __type(name: "Official") { fields { name } } }'];

  test.each(INTROSPECTION)('%s is refused in production, over HTTP and WebSocket, and answered in development', async (query) => {
    const [production, overSocket, development] = await Promise.all([prod.gql(query), wsQuery(prod, query), dev.gql(query)]);
    expect({
      status: production.status,
      code: production.errors?.[0]?.extensions?.code,
      message: production.errors?.[0]?.message,
      socketMessage: overSocket.errors?.[0]?.message,
      socketData: overSocket.data,
    }).toEqual({
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: 'Máy chủ này không cho phép truy vấn cấu trúc API (introspection).',
      socketMessage: 'Máy chủ này không cho phép truy vấn cấu trúc API (introspection).',
      socketData: undefined,
    });
    expect(development.errors).toBeUndefined();
  });

  test('__typename still answers in production', async () => {
    expect((await prod.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  test.each([
    ['field', '{ provincs { slug } }', 'Cannot query field "provincs" on type "Query".'],
    ['argument', '{ agencies(frist: 5) { totalCount } }', 'Unknown argument "frist" on field "Query.agencies".'],
  ])('a misspelt %s gets no "Did you mean" in production, over HTTP and WebSocket', async (_kind, query, bare) => {
    const [production, overSocket, development] = await Promise.all([prod.gql(query, {}, { province: 'can-tho' }), wsQuery(prod, query), dev.gql(query, {}, { province: 'can-tho' })]);
    expect(production.errors?.[0]?.message).toBe(bare);
    expect(overSocket.errors?.[0]?.message).toBe(bare);
    // (control) the suggestion is graphql-js's, and development keeps it
    expect(development.errors?.[0]?.message).toMatch(/Did you mean/);
  });

  test('no query page in production; in development it cannot be framed', async () => {
    const [production, development] = await Promise.all([raw(prod, 'GET', '/graphql', { accept: 'text/html' }), raw(dev, 'GET', '/graphql', { accept: 'text/html' })]);
    expect(production.body).not.toMatch(/<html/i);
    expect(development.body).toMatch(/<html/i);
    expect(development.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(development.headers['content-security-policy']).toContain("default-src 'none'"); // nothing from other hosts
    expect(development.headers['x-frame-options']).toBe('DENY');
  });

  test("production serves none of the query page's files either", async () => {
    const [production, development] = await Promise.all([raw(prod, 'GET', '/graphql/assets/app.js'), raw(dev, 'GET', '/graphql/assets/app.js')]);
    expect(production.status).toBeGreaterThanOrEqual(400); // Apollo's answer to a GET without a query
    expect(production.headers['content-type']).not.toMatch(/javascript/);
    expect(development.status).toBe(200);
    expect(development.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await raw(dev, 'GET', '/graphql/assets/..%2Fpackage.json')).status).toBe(404); // only the bundle's own files
  });
});

describe('headers on every answer', () => {
  test.each(['/graphql', '/healthz', '/no-such-path'])('%s: no X-Powered-By, nosniff', async (path) => {
    const answer = path === '/graphql' ? await postJson(prod, '{"query":"{ __typename }"}') : await raw(prod, 'GET', path);
    expect(answer.headers['x-powered-by']).toBeUndefined();
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  test('an unknown path answers a JSON NOT_FOUND', async () => {
    const answer = await raw(prod, 'GET', '/no-such-path');
    expect({ status: answer.status, body: JSON.parse(answer.body) }).toEqual({ status: 404, body: { errors: [{ message: expect.any(String), extensions: { code: 'NOT_FOUND' } }] } });
  });

  test.each([
    ['a safe id is kept', 'portal-7f3a_01', true],
    ['markup is replaced', '<script>alert(1)</script>', false],
    ['spaces and quotes are replaced', 'a" level="fatal', false],
    ['65 characters are replaced', 'a'.repeat(65), false],
  ])('X-Request-Id: %s', async (_label, requestId, kept) => {
    const answer = await postJson(prod, '{"query":"{ __typename }"}', { 'x-request-id': requestId });
    if (kept) expect(answer.headers['x-request-id']).toBe(requestId);
    else expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('requests refused below GraphQL answer a coded JSON error', () => {
  const CASES: [string, string | Buffer, number, string][] = [
    ['malformed JSON', '{"query": "{ __typename }"', 400, 'BAD_REQUEST'],
    ['a 3 MB body', JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(3 * 1024 * 1024) } }), 413, 'PAYLOAD_TOO_LARGE'],
  ];

  test.each(CASES)('%s: JSON with a code, no stack or server path, in development and production', async (_label, body, status, code) => {
    for (const api of [dev, prod]) {
      const answer = await postJson(api, body, { 'x-request-id': `refused-${code}` });
      expect({ status: answer.status, type: answer.headers['content-type'], leaks: LEAKS.test(answer.body), code: JSON.parse(answer.body).errors?.[0]?.extensions?.code }).toEqual({
        status,
        type: 'application/json; charset=utf-8',
        leaks: false,
        code,
      });
      expect(answer.headers['x-request-id']).toBe(`refused-${code}`);
    }
  });

  test('the message is Vietnamese and names the limit', async () => {
    const answer = await postJson(dev, Buffer.alloc(3 * 1024 * 1024, 'x'));
    expect(JSON.parse(answer.body).errors[0].message).toBe('Nội dung yêu cầu vượt quá giới hạn 2 MB.');
  });

  test('each is logged as one JSON line with the request id', async () => {
    await postJson(dev, '{"query":', { 'x-request-id': 'log-me-0001' });
    const line = logLines.find((entry) => entry.requestId === 'log-me-0001');
    expect(line).toMatchObject({ msg: 'http request refused', status: 400, code: 'BAD_REQUEST', reason: 'entity.parse.failed', method: 'POST', path: '/graphql' });
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    raw(dev, 'OPTIONS', '/graphql', { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization,x-province' });

  test.each([...province('can-tho').hostNames.map((host) => `https://${host}`), 'http://da-nang.localhost', 'http://localhost:5173'])('a preflight from %s is allowed', async (origin) => {
    const answer = await preflight(origin);
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe(origin);
    expect(String(answer.headers['access-control-allow-headers']).split(',')).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-province']));
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
  });

  // The browser refuses the call when the answer names no origin (Apollo answers the OPTIONS itself).
  test.each(['https://evil.example', 'https://cantho.gov.vn.evil.example', 'null', 'http://localhost:3000'])('a preflight from %s is not', async (origin) => {
    const answer = await preflight(origin);
    expect(answer.status).toBeLessThan(500);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.headers['access-control-allow-headers']).toBeUndefined();
  });

  test('an answer to an allowed origin lets the page read the request id', async () => {
    const answer = await postJson(dev, '{"query":"{ __typename }"}', { origin: 'https://dichvucong.danang.gov.vn' });
    expect(answer.headers['access-control-allow-origin']).toBe('https://dichvucong.danang.gov.vn');
    expect(String(answer.headers['access-control-expose-headers'])).toMatch(/x-request-id/);
    expect(answer.headers.vary).toMatch(/origin/i);
  });
});

describe('compression', () => {
  const LARGE = JSON.stringify({ query: '{ procedures(first: 50) { edges { node { code name } } } }' });

  test('gzip when the client asks, plain when it does not', async () => {
    const [zipped, plain] = await Promise.all([postJson(dev, LARGE, { 'accept-encoding': 'gzip', 'x-province': 'can-tho' }), postJson(dev, LARGE, { 'x-province': 'can-tho' })]);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(zipped.body)).toEqual(JSON.parse(plain.body));
    expect(zipped.wireBytes).toBeLessThan(plain.wireBytes / 2);
  });
});

describe('GET /metrics', () => {
  const scrape = async (api: TestApi = dev) => (await raw(api, 'GET', '/metrics')).body;
  /** The value of one series, 0 when absent. */
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };

  test('an operation is counted by name, province and outcome, and timed', async () => {
    const ok = 'egov_graphql_operations_total{transport="http",operation="ProvinceList",province="can-tho",outcome="ok"}';
    const bad = 'egov_graphql_operations_total{transport="http",operation="ProvinceList",province="can-tho",outcome="GRAPHQL_VALIDATION_FAILED"}';
    const timed = 'egov_graphql_operation_duration_seconds_count{operation="ProvinceList",province="can-tho"}';
    const before = await scrape();
    await dev.gql('query ProvinceList { provinces { slug } }', {}, { province: 'can-tho' });
    await dev.gql('query ProvinceList { provinces { slugg } }', {}, { province: 'can-tho' });
    const after = await scrape();
    expect([value(after, ok) - value(before, ok), value(after, bad) - value(before, bad), value(after, timed) - value(before, timed)]).toEqual([1, 1, 2]);
  });

  test('over WebSocket too', async () => {
    const series = 'egov_graphql_operations_total{transport="websocket",operation="SocketHello",province="(none)",outcome="ok"}';
    const before = await scrape();
    expect((await wsQuery(dev, 'query SocketHello { __typename }')).data).toEqual({ __typename: 'Query' });
    expect(value(await scrape(), series) - value(before, series)).toBe(1);
  });

  test('a request refused below GraphQL is counted by code', async () => {
    const series = 'egov_http_transport_errors_total{code="BAD_REQUEST"}';
    const before = await scrape();
    await postJson(dev, '{');
    expect(value(await scrape(), series) - value(before, series)).toBe(1);
  });

  test('the pool: connections in use and idle, operations waiting', async () => {
    const text = await scrape();
    expect(text).toMatch(/^egov_db_pool_connections\{state="in_use"\} \d+$/m);
    expect(text).toMatch(/^egov_db_pool_connections\{state="idle"\} \d+$/m);
    expect(text).toMatch(/^egov_db_pool_waiting \d+$/m);
  });

  test("the portal sync backlog counts each province's pending records (row-level security crossed per province)", async () => {
    const desk = await openDesk(dev, 'da-nang', 'Sở Tư pháp');
    const daNang = 'egov_portal_sync_pending{province="da-nang"}';
    const before = await scrape();
    const received = await dev.gql(RECEIVE, { input: intake(desk) }, { token: desk.clerk, province: desk.slug });
    expect(received.errors).toBeUndefined();
    const after = await scrape();
    expect(value(after, daNang) - value(before, daNang)).toBe(1);
    expect(after).toMatch(/^egov_portal_sync_pending\{province="can-tho"\} \d+$/m);
  });

  test('operations answered RATE_LIMITED are counted as refusals', async () => {
    const desk = await openDesk(dev, 'da-nang', 'Sở Tư pháp');
    const series = 'egov_rate_limit_refusals_total{kind="operation",province="da-nang"}';
    const client = { 'x-forwarded-for': '203.113.0.77' };
    const before = await scrape();
    const codes: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const answer = await dev.gql(`{ trackDossier(code: "${desk.agencyCode}-260101-000${attempt}", secret: "ABCDEFGH") { code } }`, {}, { province: desk.slug, headers: client });
      codes.push(answer.errors?.[0]?.extensions?.code ?? 'none');
    }
    expect(codes[2]).toBe('RATE_LIMITED');
    expect(value(await scrape(), series) - value(before, series)).toBe(codes.filter((code) => code === 'RATE_LIMITED').length);
  });

  test('with METRICS_TOKEN a scrape needs it', async () => {
    const [without, wrong, right] = await Promise.all([
      raw(prod, 'GET', '/metrics'),
      raw(prod, 'GET', '/metrics', { authorization: 'Bearer not-the-token' }),
      raw(prod, 'GET', '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` }),
    ]);
    expect([without.status, wrong.status, right.status]).toEqual([401, 401, 200]);
    expect(right.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(right.body).toMatch(/^# TYPE egov_graphql_operations_total counter$/m);
  });
});
