// `npm start` as a newcomer runs it: no DATABASE_URL, so embedded PGlite, migrated and seeded on
// first start; then GraphQL over HTTP and over WebSocket, health checks, and a clean SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { loadConfig } from '../src/config';
import { buildDevTokenClaims, signDevToken } from '../src/context/dev-token';
import { province } from './support/fixtures';

const root = path.join(__dirname, '..');
let child: ChildProcess;
let dataDir: string;
let base: string;
const output: string[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-smoke-'));
  // A data directory that does not exist yet, like .data/pglite in a fresh checkout.
  const pgliteDir = path.join(dataDir, '.data', 'pglite');
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), PGLITE_DATA_DIR: pgliteDir, NODE_ENV: 'development', LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  delete env.MIGRATION_DATABASE_URL;
  // `npm start` itself, so that SIGTERM below goes where an operator's (or a process manager's) goes.
  child = spawn('npm', ['start'], { cwd: root, env });
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('')}`)), 150_000);
    const check = () => (output.join('').includes('GraphQL API at') ? (clearTimeout(timer), resolve()) : setTimeout(check, 200));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output.join('')}`)));
    check();
  });
}, 160_000);

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('says it runs on the embedded database, in its first log lines', () => {
  expect(output.join('')).toMatch(/embedded PostgreSQL \(PGlite\)/);
});

test('health and readiness', async () => {
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const ready = await fetch(`${base}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: 'ready', pending: [] });
});

test('the landing page loads nothing from other hosts', async () => {
  const page = await (await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } })).text();
  expect(page).toContain('id="graphiql"');
  expect(page).not.toMatch(/(src|href)=["']https?:/);
});

test('GraphQL over HTTP sees the demo provinces', async () => {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-province': '92' },
    body: JSON.stringify({ query: '{ province { name } provinces { slug } agencies(first: 3) { totalCount } }' }),
  });
  const body = (await response.json()) as any;
  expect(body.errors).toBeUndefined();
  expect(response.headers.get('cache-control')).toBe('no-store'); // answers are per caller: no proxy keeps them
  expect(body.data.province.name).toBe('Thành phố Cần Thơ');
  expect(body.data.provinces).toHaveLength(6);
  expect(body.data.agencies.totalCount).toBeGreaterThan(3);
});

test('GraphQL over WebSocket on the same path', async () => {
  const client = createClient({ url: base.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { province: 'da-nang' } });
  try {
    const result = await new Promise<any>((resolve, reject) => {
      let value: unknown;
      client.subscribe({ query: '{ province { slug } }' }, { next: (data) => (value = data), error: reject, complete: () => resolve(value) });
    });
    expect(result).toEqual({ data: { province: { slug: 'da-nang' } } });
  } finally {
    await client.dispose();
  }
});

test('on PGlite too, a received dossier reaches its WebSocket subscriber through LISTEN/NOTIFY', async () => {
  const config = loadConfig({ NODE_ENV: 'development' } as NodeJS.ProcessEnv);
  const canTho = province('can-tho');
  const clerk = await signDevToken(buildDevTokenClaims({ province: canTho.id, roles: ['official', 'receiving_clerk'], agency: '000.00.03.H13' }), config);
  const post = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-province': 'can-tho', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as any;
  };
  const performed = await post(`{ provinceProcedures(first: 50, filter: { search: "ly lich tu phap" }) { edges { node { agency { id } procedure { code requiredDocuments { code required } } } } } }`, {});
  const node = performed.data.provinceProcedures.edges[0].node;
  const received = await post(
    `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) { code secret dossier { id } } }`,
    {
      input: {
        procedureCode: node.procedure.code,
        agencyId: node.agency.id,
        applicant: { name: 'Trương Thị Mỹ Tiên', type: 'CITIZEN', idNumber: '092195001234', phone: '0939123456' },
        summary: 'Đề nghị cấp Phiếu lý lịch tư pháp số 1',
        documentsProvided: node.procedure.requiredDocuments.filter((document: any) => document.required).map((document: any) => document.code),
      },
    },
    clerk,
  );
  expect(received.errors).toBeUndefined();
  const { code, secret, dossier } = received.data.receiveDossier;
  const client = createClient({ url: base.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { province: 'can-tho' } });
  try {
    const event = new Promise<any>((resolve, reject) => {
      client.subscribe(
        { query: 'subscription($code: String!, $secret: String!) { dossierStatusChanged(code: $code, secret: $secret) { status } }', variables: { code, secret } },
        { next: resolve, error: reject, complete: () => undefined },
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const moved = await post(`mutation($id: ID!) { moveDossier(input: { dossierId: $id, action: START_PROCESSING }) { status } }`, { id: dossier.id }, clerk);
    expect(moved.errors).toBeUndefined();
    expect(await event).toEqual({ data: { dossierStatusChanged: { status: 'IN_PROGRESS' } } });
  } finally {
    await client.dispose();
  }
});

test('SIGTERM to npm start drains, exits cleanly and leaves no server behind', async () => {
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(output.join('')).toContain('SIGTERM: draining requests and closing');
  await expect(fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
});
