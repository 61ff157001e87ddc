// Issue bullets covered: client input answers a coded client error, never a 500 or an internal
// error: a NUL byte in a string argument, a global ID whose payload is not a UUID, a year outside
// the calendar, `first: -1`; a token subject that is not a UUID; a token of another province than
// X-Province (403); over WebSocket an expired token fails the operation, not the socket, and an
// anonymous private subscription is refused; an unreachable database answers 503 SERVICE_UNAVAILABLE
// with Retry-After and the request id.
import pg from 'pg';
import WebSocket from 'ws';
import { SignJWT } from 'jose';
import { createClient, type Client } from 'graphql-ws';
import { startTestApi, testConfig, TEST_JWT_SECRET, type GraphQLResponse, type TestApi } from './support/api';
import { createTestDatabase } from './support/test-database';
import { RECEIVE, edgeId, intake, openDesk, type Desk } from './support/dossier-fixtures';
import { province } from './support/fixtures';

const daNang = province('da-nang');
const canTho = province('can-tho');
let api: TestApi;
let desk: Desk;

beforeAll(async () => {
  api = await startTestApi();
  desk = await openDesk(api, 'da-nang', 'Sở Tư pháp');
});
afterAll(() => api?.close());

const VIETNAMESE_LETTER = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;

/** The first error, as what a client acts on: its HTTP status, code and whether a person can read it. */
function clientErrorOf(response: GraphQLResponse) {
  const [error] = response.errors ?? [];
  return {
    serverError: response.status >= 500 ? response.status : false,
    code: error?.extensions?.code,
    readableVietnamese: Boolean(error && VIETNAMESE_LETTER.test(error.message) && !/internal|prisma|invalid input syntax/i.test(error.message)),
  };
}

const badInput = { serverError: false, code: 'BAD_USER_INPUT', readableVietnamese: true };

describe('a NUL byte in a string argument (PostgreSQL 22021) is bad input', () => {
  const NUL = 'Nguyễn\u0000Văn';

  test('in a query: the officials filter', async () => {
    const response = await api.gql(`query($search: String) { officials(first: 5, filter: { search: $search }) { totalCount } }`, { search: NUL }, { token: desk.admin, province: desk.slug });
    expect(clientErrorOf(response)).toEqual(badInput);
  });

  test('in a public query: the procedure search', async () => {
    const response = await api.gql(`query($search: String) { procedures(first: 5, filter: { search: $search }) { totalCount } }`, { search: NUL }, { province: desk.slug });
    expect(clientErrorOf(response)).toEqual(badInput);
  });

  test("in a mutation: a dossier's summary", async () => {
    const response = await api.gql(RECEIVE, { input: intake(desk, { summary: `Đề nghị cấp${'\u0000'} phiếu lý lịch tư pháp` }) }, { token: desk.clerk, province: desk.slug });
    expect(clientErrorOf(response)).toEqual(badInput);
  });
});

describe('a global ID whose payload is not a UUID is bad input', () => {
  const notAUuid = edgeId('Official', 'abc');

  test('node(id)', async () => {
    const response = await api.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: notAUuid }, { token: desk.admin, province: desk.slug });
    expect(clientErrorOf(response)).toEqual(badInput);
  });

  test("a mutation's ID argument", async () => {
    const response = await api.gql(
      `mutation($id: ID!) { updateOfficial(id: $id, input: { position: "Chuyên viên chính" }) { id } }`,
      { id: notAUuid },
      { token: desk.admin, province: desk.slug },
    );
    expect(clientErrorOf(response)).toEqual(badInput);
  });
});

describe('arguments out of range are bad input', () => {
  // The lunar calendar that the holiday rules need is computed up to 2199.
  test.each([
    ['the working calendar of 2200', `{ workingCalendar(year: 2200) { year } }`],
    ['a day off declared in 2200', `mutation($date: Date!) { setCalendarDay(input: { date: $date, kind: DAY_OFF, name: "Nghỉ bù" }) { year } }`],
    ['a day cleared in 2200', `mutation($date: Date!) { clearCalendarDay(date: $date) { year } }`],
  ])('a calendar year after 2199: %s', async (_label, query) => {
    const response = await api.gql(query, { date: '2200-01-06' }, { token: desk.admin, province: desk.slug });
    expect(clientErrorOf(response)).toEqual(badInput);
  });

  test('first: -1 on a connection, with a message about first (not about an ID)', async () => {
    const response = await api.gql(`{ procedures(first: -1) { totalCount } }`, {}, { province: desk.slug });
    const message = response.errors?.[0].message ?? '';
    expect({ ...clientErrorOf(response), aboutFirst: /first/.test(message), aboutAnId: /Mã định danh|\bID\b/.test(message) }).toEqual({
      ...badInput,
      aboutFirst: true,
      aboutAnId: false,
    });
  });
});

describe('a token subject that is not a UUID (an identity provider may use any string)', () => {
  const SUB = 'cccd:079203001234';
  const outcome = (response: GraphQLResponse, pick: (data: any) => unknown) => ({ errors: response.errors?.map((error) => error.extensions?.code), value: pick(response.data) });

  test('a citizen: me answers and the citizen can file a dossier', async () => {
    const citizen = await api.token({ province: daNang.id, roles: ['citizen'], sub: SUB });
    const me = await api.gql(`{ me { kind subject } }`, {}, { token: citizen });
    const submitted = await api.gql(
      `mutation($input: SubmitDossierInput!) { submitDossier(input: $input) { code dossier { status } } }`,
      { input: intake(desk) },
      { token: citizen },
    );
    const mine = await api.gql(`{ myDossiers(first: 5) { edges { node { status } } } }`, {}, { token: citizen });
    expect({
      me: outcome(me, (data) => data?.me),
      submitDossier: outcome(submitted, (data) => data?.submitDossier?.dossier.status),
      myDossiers: outcome(mine, (data) => data?.myDossiers?.edges.length > 0),
    }).toEqual({
      me: { errors: undefined, value: { kind: 'citizen', subject: SUB } },
      submitDossier: { errors: undefined, value: 'SUBMITTED' },
      myDossiers: { errors: undefined, value: true },
    });
  });

  test('an official: me answers, the work queue and a dossier intake work', async () => {
    const clerk = await api.token({ province: daNang.id, roles: ['official', 'receiving_clerk'], agency: desk.agencyCode, sub: SUB });
    const me = await api.gql(`{ me { kind subject official { id } } }`, {}, { token: clerk });
    const queue = await api.gql(`{ dossierQueue(first: 5, filter: { scope: ASSIGNED_TO_ME }) { totalCount } }`, {}, { token: clerk });
    const received = await api.gql(RECEIVE, { input: intake(desk) }, { token: clerk });
    expect({
      me: outcome(me, (data) => data?.me),
      assignedToMe: outcome(queue, (data) => data?.dossierQueue?.totalCount),
      receiveDossier: outcome(received, (data) => data?.receiveDossier?.dossier.status),
    }).toEqual({
      me: { errors: undefined, value: { kind: 'official', subject: SUB, official: null } },
      assignedToMe: { errors: undefined, value: 0 },
      receiveDossier: { errors: undefined, value: 'RECEIVED' },
    });
  });
});

test('a token of another province than X-Province: FORBIDDEN with status 403', async () => {
  const token = await api.token({ province: canTho.id, roles: ['official', 'province_admin'] });
  const response = await api.gql(`{ agencies(first: 1) { totalCount } }`, {}, { token, province: daNang.slug });
  expect({ status: response.status, ...clientErrorOf(response) }).toEqual({ status: 403, serverError: false, code: 'FORBIDDEN', readableVietnamese: true });
});

describe('over WebSocket', () => {
  const clients: Client[] = [];
  afterAll(() => Promise.all(clients.map((client) => client.dispose())));

  /** A client that records how its socket closed, if it did. */
  function connect(connectionParams: Record<string, string>) {
    const closes: number[] = [];
    const client = createClient({
      url: api.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams,
      retryAttempts: 0,
      on: { closed: (event) => void closes.push((event as { code: number }).code) },
    });
    clients.push(client);
    return { client, closes };
  }

  /** The first result of an operation, its failure (a close code), or 'no answer' after the timeout. */
  function firstOutcome(client: Client, query: string, timeoutMs = 3000): Promise<{ result?: any; closedWith?: number } | 'no answer'> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => (dispose(), resolve('no answer')), timeoutMs);
      const dispose = client.subscribe(
        { query },
        {
          next: (result) => (clearTimeout(timer), dispose(), resolve({ result })),
          // An operation refused before it runs gets an `error` message (GraphQL errors); a dead socket, a close event.
          error: (error) => (clearTimeout(timer), resolve(Array.isArray(error) ? { result: { errors: error } } : { closedWith: (error as { code?: number }).code ?? -1 })),
          complete: () => undefined,
        },
      );
    });
  }

  const codesOf = (outcome: Awaited<ReturnType<typeof firstOutcome>>) =>
    outcome === 'no answer' ? outcome : outcome.closedWith !== undefined ? `socket closed with ${outcome.closedWith}` : (outcome.result.errors ?? []).map((error: any) => error.extensions?.code);

  test('an expired token fails the operation with UNAUTHENTICATED; the socket stays open', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    const config = testConfig();
    const expired = await new SignJWT({ roles: ['official', 'province_admin'], province: daNang.id })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('0b7e3f52-1c4d-4a8e-9f21-6d5c4b3a2e10')
      .setIssuer(config.JWT_ISSUER)
      .setAudience(config.JWT_AUDIENCE)
      .setIssuedAt(past - 3600)
      .setExpirationTime(past)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const { client, closes } = connect({ authorization: `Bearer ${expired}`, province: daNang.slug });
    const first = await firstOutcome(client, `{ officials(first: 1) { totalCount } }`);
    const second = await firstOutcome(client, `{ province { slug } }`);
    expect({ first: codesOf(first), second: codesOf(second), closes }).toEqual({ first: ['UNAUTHENTICATED'], second: ['UNAUTHENTICATED'], closes: [] });
  });

  test('an anonymous subscription to a private field: UNAUTHENTICATED, not silence', async () => {
    const { client } = connect({ province: daNang.slug });
    const outcome = await firstOutcome(client, `subscription { dossierFeed { kind code } }`);
    expect(codesOf(outcome)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('while the database is unreachable', () => {
  let down: TestApi;
  let scratch: Awaited<ReturnType<typeof createTestDatabase>>;
  let admin: pg.Client;

  // startServer needs the database to start (it LISTENs for dossier events), so the server starts on
  // a scratch database that is then closed to new connections, its existing ones terminated.
  beforeAll(async () => {
    scratch = await createTestDatabase('egov_test_down');
    down = await startTestApi({ DATABASE_URL: scratch.appUrl });
    // (control) the same query works before the database goes away
    const before = await down.gql(`{ provinces { slug } }`);
    if (before.status !== 200 || before.errors) throw new Error(`the scratch server does not answer: ${JSON.stringify(before)}`);
    admin = new pg.Client({ connectionString: scratch.ownerUrl.replace(`/${scratch.name}`, '/postgres') });
    await admin.connect();
    await admin.query(`ALTER DATABASE "${scratch.name}" ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [scratch.name]);
  });
  afterAll(async () => {
    await down?.close();
    await admin?.query(`ALTER DATABASE "${scratch.name}" ALLOW_CONNECTIONS true`);
    await admin?.end();
    await scratch?.drop();
  });

  test('a query that needs it: SERVICE_UNAVAILABLE, 503 with Retry-After and the request id', async () => {
    const response = await fetch(down.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ provinces { slug } }' }),
      signal: AbortSignal.timeout(20_000),
    });
    const body = (await response.json()) as GraphQLResponse;
    const requestId = response.headers.get('x-request-id');
    const [error] = body.errors ?? [];
    expect({
      status: response.status,
      retryAfter: Boolean(response.headers.get('retry-after')),
      requestId: Boolean(requestId),
      code: error?.extensions?.code,
      messageNamesTheRequest: Boolean(requestId && error?.message.includes(requestId)),
    }).toEqual({ status: 503, retryAfter: true, requestId: true, code: 'SERVICE_UNAVAILABLE', messageNamesTheRequest: true });
    expect(error.message).toMatch(VIETNAMESE_LETTER);
  });
});
