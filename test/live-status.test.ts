// Live status over graphql-ws across two server processes: the change is made through this test's
// in-process server, the subscribers listen on a second server started as its own process. The event
// can only get there through PostgreSQL LISTEN/NOTIFY.
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { startServerProcess, subscriptionsSetUp, type ServerProcess } from './support/run-script';
import { startTestApi, TEST_JWT_SECRET, UNREACHED_RATE_LIMITS, type TestApi } from './support/api';
import { MOVE, RECEIVE, intake, openDesk, type Desk } from './support/dossier-fixtures';

let api: TestApi;
let desk: Desk;
let second: ServerProcess;
let wsUrl: string;
const clients: Client[] = [];

beforeAll(async () => {
  api = await startTestApi();
  desk = await openDesk(api, 'vinh-long', 'Sở Tư pháp');
  second = await startServerProcess({ ...UNREACHED_RATE_LIMITS, JWT_SECRET: TEST_JWT_SECRET });
  wsUrl = second.url.replace(/^http/, 'ws');
}, 70_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  second?.stop();
  await api.close();
});

function connect(connectionParams: Record<string, string>) {
  const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0 });
  clients.push(client);
  return client;
}

/** Collects what a subscription sends; `next(n)` waits until n values have come. */
function collect(client: Client, query: string, variables: Record<string, unknown>) {
  const values: any[] = [];
  const errors: unknown[] = [];
  const dispose = client.subscribe({ query, variables }, { next: (value) => values.push(value), error: (error) => errors.push(error), complete: () => undefined });
  const next = async (count: number, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (values.length < count && errors.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    return { values, errors };
  };
  return { values, errors, next, dispose };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

const STATUS = `subscription WatchStatus($code: String!, $secret: String!) {
  dossierStatusChanged(code: $code, secret: $secret) { code status statusName history { status } }
}`;
const FEED = `subscription WatchFeed { dossierFeed { kind code status dossierId } }`;

test('the applicant watches the status change live, from another server process', async () => {
  const received = await api.gql(RECEIVE, { input: intake(desk) }, { token: desk.clerk, province: desk.slug });
  const { code, secret, dossier } = received.data!.receiveDossier;
  const watcher = collect(connect({ province: desk.slug }), STATUS, { code, secret });
  expect(await subscriptionsSetUp(second.url, 'WatchStatus')).toBe(true);
  await api.gql(MOVE, { input: { dossierId: dossier.id, action: 'START_PROCESSING' } }, { token: desk.clerk, province: desk.slug });
  // Each event reads the dossier as it is when delivered: let the first be read before the next move.
  await watcher.next(1);
  await api.gql(MOVE, { input: { dossierId: dossier.id, action: 'REQUEST_SUPPLEMENT', note: 'Bổ sung giấy ủy quyền' } }, { token: desk.handler, province: desk.slug });
  const { values, errors } = await watcher.next(2);
  expect(errors).toEqual([]);
  expect(values.map((value) => value.data.dossierStatusChanged.status)).toEqual(['IN_PROGRESS', 'SUPPLEMENT_REQUESTED']);
  expect(values[1].data.dossierStatusChanged.statusName).toBe('Yêu cầu bổ sung giấy tờ');
  expect(JSON.stringify(values)).not.toContain('Bổ sung giấy ủy quyền'); // notes are not for the public view
  watcher.dispose();
});

test('a wrong secret gets the same error as an unknown code, and no events', async () => {
  const received = await api.gql(RECEIVE, { input: intake(desk) }, { token: desk.clerk, province: desk.slug });
  const { code } = received.data!.receiveDossier;
  const wrong = collect(connect({ province: desk.slug }), STATUS, { code, secret: 'ABCDEFGH' });
  const unknown = collect(connect({ province: desk.slug }), STATUS, { code: `${desk.agencyCode}-200101-0001`, secret: 'ABCDEFGH' });
  // graphql-ws answers a subscription that fails at the start with one result holding the error.
  const [a, b] = await Promise.all([wrong.next(1, 3000), unknown.next(1, 3000)]);
  expect(a.values).toHaveLength(1);
  expect(a.values[0].data ?? null).toBeNull();
  expect(a.values[0].errors.map((error: any) => error.extensions.code)).toEqual(['DOSSIER_NOT_FOUND']);
  expect(a.values).toEqual(b.values);
});

test('officials of the agency see new and changed dossiers; other provinces see nothing', async () => {
  const feed = collect(connect({ province: desk.slug, authorization: `Bearer ${desk.handler}` }), FEED, {});
  const elsewhere = await openDesk(api, 'da-nang', 'Sở Tư pháp');
  const otherFeed = collect(connect({ province: elsewhere.slug, authorization: `Bearer ${elsewhere.handler}` }), FEED, {});
  expect(await subscriptionsSetUp(second.url, 'WatchFeed', 2)).toBe(true);
  const received = await api.gql(RECEIVE, { input: intake(desk) }, { token: desk.clerk, province: desk.slug });
  const { code, dossier } = received.data!.receiveDossier;
  await api.gql(MOVE, { input: { dossierId: dossier.id, action: 'START_PROCESSING' } }, { token: desk.clerk, province: desk.slug });
  const { values, errors } = await feed.next(2);
  expect(errors).toEqual([]);
  const mine = values.map((value) => value.data.dossierFeed).filter((event) => event.code === code);
  expect(mine.map((event) => [event.kind, event.status])).toEqual([['CREATED', 'RECEIVED'], ['CHANGED', 'IN_PROGRESS']]);
  expect(mine[0].dossierId).toBe(dossier.id);
  await settle();
  expect(otherFeed.values.map((value) => value.data.dossierFeed.code)).not.toContain(code);
});
