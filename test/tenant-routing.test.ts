// Ready for a database distributed by province (Citus, `tenant_id` the distribution column): every
// statement the hot paths send names `tenant_id` for each tenant table it reads, beside the
// row-level-security setting, so that it would route to one shard. And the prepared statements the
// hot paths reuse keep to the province of the transaction that runs them: one pooled connection
// serves two provinces in turn and each sees only its own rows.
import { startTestApi, type TestApi } from './support/api';
import { applicant, intake, openDesk, RECEIVE, type Desk } from './support/dossier-fixtures';

let api: TestApi;
let canTho: Desk;
let daNang: Desk;
let tenantTables: Set<string>;
const received: Record<string, { code: string; secret: string }> = {};

beforeAll(async () => {
  // One connection: every operation below runs on the same PostgreSQL session, one after another.
  api = await startTestApi({ DATABASE_POOL_SIZE: '1' });
  canTho = await openDesk(api, 'can-tho', 'Sở Tư pháp');
  daNang = await openDesk(api, 'da-nang', 'Sở Tư pháp');
  for (const desk of [canTho, daNang]) {
    const result = await api.gql(RECEIVE, { input: intake(desk, { applicant: applicant() }) }, { token: desk.clerk });
    received[desk.slug] = result.data!.receiveDossier;
  }
  const rows = await api.database.prisma.$queryRaw<{ table_name: string }[]>`
    SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id'`;
  tenantTables = new Set(rows.map((row) => row.table_name));
});

afterAll(async () => {
  await api.close();
});

const QUEUE = `{ dossierQueue(first: 25) { totalCount edges { node { id code status dueAt overdue procedure { code name } } } } }`;
const DIRECTORY = `{ officials(first: 50) { totalCount edges { node { id fullName position email agency { id code name } } } } }`;
const QUEUE_PAGE = `query($after: String) { dossierQueue(first: 100, after: $after) { edges { node { code } } pageInfo { hasNextPage endCursor } } }`;
const TRACK = `query($code: String!, $secret: String!) { trackDossier(code: $code, secret: $secret) { code status history { status at } } }`;

/** The tenant tables a statement reads (by FROM or JOIN, each with its alias or its own name). */
function tenantTablesRead(statement: string): { table: string; alias: string }[] {
  const text = statement.replace(/"/g, '');
  const read: { table: string; alias: string }[] = [];
  for (const match of text.matchAll(/\b(?:FROM|JOIN)\s+\(?\s*(?:public\.)?([a-z_]+)(?:\s+(?:AS\s+)?([a-z][a-z0-9_]*))?/gi)) {
    const table = match[1];
    if (!tenantTables.has(table)) continue;
    const alias = match[2] && !/^(WHERE|JOIN|LEFT|INNER|CROSS|ON|ORDER|GROUP|LIMIT)$/i.test(match[2]) ? match[2] : table;
    read.push({ table, alias });
  }
  return read;
}

/** Those of them whose `alias.tenant_id` the statement does not name. */
function unroutedTables(statement: string): string[] {
  const text = statement.replace(/"/g, '');
  const misses: string[] = [];
  for (const { table, alias } of tenantTablesRead(statement)) {
    const named = new RegExp(`\\b${alias}\\.tenant_id\\b`).test(text) || (alias === table && /\btenant_id\s*=/.test(text));
    if (!named) misses.push(`${table} (as ${alias})`);
  }
  return misses;
}

/** The statements one operation sends, other than starting and ending its transaction. */
async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  api.statements.length = 0;
  await run();
  return api.statements.filter((text) => !/^(BEGIN|COMMIT|ROLLBACK)\b/.test(text.trim()));
}

test('the hot paths name tenant_id for every tenant table they read', async () => {
  const hot = {
    queue: await statementsOf(() => api.gql(QUEUE, {}, { token: canTho.handler })),
    directory: await statementsOf(() => api.gql(DIRECTORY, {}, { token: canTho.admin })),
    tracking: await statementsOf(() => api.gql(TRACK, received['can-tho'], { province: 'can-tho' })),
  };
  for (const [name, statements] of Object.entries(hot)) {
    // what the check reads: the tenant tables each path touches (a path reading none would prove nothing)
    expect({ name, read: statements.flatMap(tenantTablesRead).length > 0 }).toEqual({ name, read: true });
    expect({ name, unrouted: statements.flatMap(unroutedTables) }).toEqual({ name, unrouted: [] });
  }
  // the check itself sees a statement that relies on row-level security alone
  expect(unroutedTables('SELECT t0.id FROM "dossier" t0 WHERE t0.agency_id = $1')).toEqual(['dossier (as t0)']);
  expect(unroutedTables('SELECT "public"."agency"."id" FROM "public"."agency" WHERE "public"."agency"."code" = $1')).toEqual(['agency (as agency)']);
});

/** Every code in the caller's queue, page by page: earlier suites leave dossiers at the same agency, and the new one need not be on the first page. */
async function wholeQueue(token: string): Promise<string[]> {
  const codes: string[] = [];
  for (let after: string | null = null; ; ) {
    const page: { data?: any } = await api.gql(QUEUE_PAGE, { after }, { token });
    const { edges, pageInfo }: { edges: any[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = page.data!.dossierQueue;
    codes.push(...edges.map((edge: any) => edge.node.code));
    if (!pageInfo.hasNextPage) return codes;
    after = pageInfo.endCursor;
  }
}

test('the same prepared statements on one connection answer each province with its own rows only', async () => {
  for (let round = 0; round < 2; round++) {
    for (const [own, other] of [
      [canTho, daNang],
      [daNang, canTho],
    ]) {
      const codes = await wholeQueue(own.handler);
      expect(codes).toContain(received[own.slug].code);
      expect(codes.every((code) => code.startsWith(own.agencyCode))).toBe(true);
      expect(codes).not.toContain(received[other.slug].code);
      const tracked = await api.gql(TRACK, received[own.slug], { province: own.slug });
      expect(tracked.data!.trackDossier?.code).toBe(received[own.slug].code);
      // another province's receipt, asked in this province, finds nothing
      const crossed = await api.gql(TRACK, received[other.slug], { province: own.slug });
      expect(crossed.data!.trackDossier).toBeNull();
    }
  }
});
