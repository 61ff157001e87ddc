// Tracking limits count the client, not the socket's peer: behind a proxy (here the loopback, which
// TRUST_PROXY trusts by default) every WebSocket comes from the proxy, and ten wrong secrets from
// one person must not lock out every other WebSocket tracker. HTTP and WebSocket share one count.
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { startTestApi, type TestApi } from './support/api';
import { RECEIVE, intake, openDesk, type Desk } from './support/dossier-fixtures';

let api: TestApi;
let desk: Desk;
const clients: Client[] = [];

beforeAll(async () => {
  api = await startTestApi();
  desk = await openDesk(api, 'da-nang', 'Sở Tư pháp');
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await api.close();
});

const TRACK = `query($code: String!, $secret: String!) { trackDossier(code: $code, secret: $secret) { code } }`;

/** A socket opened through the proxy on behalf of `forwardedFor`. */
function socketFor(forwardedFor: string) {
  class ProxiedWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { 'x-forwarded-for': forwardedFor } });
    }
  }
  const client = createClient({ url: api.url.replace('http', 'ws'), webSocketImpl: ProxiedWebSocket, connectionParams: { province: desk.slug }, retryAttempts: 0 });
  clients.push(client);
  return (variables: { code: string; secret: string }) =>
    new Promise<{ data?: any; errors?: any[] }>((resolve, reject) => {
      let result: { data?: any; errors?: any[] } = {};
      client.subscribe({ query: TRACK, variables }, { next: (value) => (result = value as typeof result), error: reject, complete: () => resolve(result) });
    });
}

async function receipt() {
  const result = await api.gql(RECEIVE, { input: intake(desk) }, { token: desk.clerk, province: desk.slug });
  expect(result.errors).toBeUndefined();
  return result.data!.receiveDossier as { code: string; secret: string };
}

test('ten misses over WebSocket lock out that forwarded client only, over WebSocket and HTTP alike', async () => {
  const { code, secret } = await receipt();
  const guesser = socketFor('203.113.152.40');
  for (let attempt = 0; attempt < 10; attempt++) {
    expect(await guesser({ code, secret: 'ABCDEFGH' })).toEqual({ data: { trackDossier: null } });
  }
  const limited = await guesser({ code, secret });
  expect(limited.errors?.[0].extensions?.code).toBe('RATE_LIMITED');

  // Another citizen behind the same proxy, on a socket of their own, is not refused.
  const neighbour = socketFor('203.113.152.41');
  expect((await neighbour({ code, secret })).data).toEqual({ trackDossier: { code } });

  // The guesser's count is the same one HTTP keeps for that address.
  const overHttp = await api.gql(TRACK, { code, secret }, { province: desk.slug, headers: { 'x-forwarded-for': '203.113.152.40' } });
  expect(overHttp.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
});

test('misses over HTTP count against the same client over WebSocket', async () => {
  const { code, secret } = await receipt();
  for (let attempt = 0; attempt < 10; attempt++) {
    const miss = await api.gql(TRACK, { code, secret: 'ABCDEFGH' }, { province: desk.slug, headers: { 'x-forwarded-for': '203.113.152.42' } });
    expect(miss.data).toEqual({ trackDossier: null });
  }
  const limited = await socketFor('203.113.152.42')({ code, secret });
  expect(limited.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
  expect((await socketFor('203.113.152.43')({ code, secret })).data).toEqual({ trackDossier: { code } });
});
