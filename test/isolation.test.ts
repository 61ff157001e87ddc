// Attacks on tenant isolation: an official of Cần Thơ tries every way we know to see or touch
// Đà Nẵng's rows. Each must fail, and the database — not resolver code — must be what stops it.
import { openPostgres, type Database } from '../src/db/database';
import { openTransaction } from '../src/db/unit-of-work';

const openRequestTransaction = (prisma: Parameters<typeof openTransaction>[0], tenantId: string | null, timeoutMs: number) =>
  openTransaction(prisma, { tenantId, role: 'app', timeoutMs });
import { startTestApi, type TestApi } from './support/api';
import { province } from './support/fixtures';

const canTho = province('can-tho');
const daNang = province('da-nang');

let api: TestApi;
let owner: Database;
let canThoAdmin: string;
let daNangAdmin: string;
let daNangOfficial: { id: string; fullName: string; email: string };
let daNangAgencyId: string;
let canThoOfficialId: string;

const officialsQuery = `query ($filter: OfficialFilter) {
  officials(first: 200, filter: $filter) { totalCount edges { node { id fullName email agency { id code } } } }
}`;

beforeAll(async () => {
  api = await startTestApi();
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  canThoAdmin = await api.token({ province: canTho.id, roles: ['official', 'province_admin'] });
  daNangAdmin = await api.token({ province: daNang.id, roles: ['official', 'province_admin'] });
  const theirs = await api.gql(officialsQuery, {}, { token: daNangAdmin });
  daNangOfficial = theirs.data!.officials.edges[0].node;
  daNangAgencyId = daNangOfficial && theirs.data!.officials.edges[0].node.agency.id;
  const ours = await api.gql(officialsQuery, {}, { token: canThoAdmin });
  canThoOfficialId = ours.data!.officials.edges[0].node.id;
});

afterAll(async () => {
  await api.close();
  await owner.close();
});

const ownerOfficial = (globalId: string) => {
  const [, id] = Buffer.from(globalId, 'base64').toString().split(':');
  return owner.prisma.official.findFirst({ where: { id } });
};

describe('through the GraphQL API', () => {
  test('each province sees only its own officials, and the counts agree with the database', async () => {
    for (const [manifest, token] of [[canTho, canThoAdmin], [daNang, daNangAdmin]] as const) {
      const response = await api.gql(officialsQuery, {}, { token });
      const expected = await owner.prisma.official.count({ where: { tenantId: manifest.id } });
      expect(expected).toBeGreaterThan(0);
      expect(response.data!.officials.totalCount).toBe(expected);
      expect(response.data!.officials.edges).toHaveLength(expected);
    }
  });

  test('node(id) and nodes(ids) of another province come back empty', async () => {
    const response = await api.gql(
      `query ($id: ID!, $agency: ID!) { node(id: $id) { id } nodes(ids: [$id, $agency]) { id } }`,
      { id: daNangOfficial.id, agency: daNangAgencyId },
      { token: canThoAdmin },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ node: null, nodes: [null, null] });
  });

  test("filtering by another province's agency finds nothing", async () => {
    const response = await api.gql(officialsQuery, { filter: { agencyId: daNangAgencyId } }, { token: canThoAdmin });
    expect(response.data!.officials).toEqual({ totalCount: 0, edges: [] });
  });

  test("searching for another province's official by name finds nothing", async () => {
    const response = await api.gql(officialsQuery, { filter: { search: daNangOfficial.fullName } }, { token: canThoAdmin });
    expect(response.data!.officials.edges.map((edge: any) => edge.node.email)).not.toContain(daNangOfficial.email);
  });

  test("nested relations stay inside the province (agency -> officials)", async () => {
    const response = await api.gql(
      `{ agencies(first: 200) { edges { node { code officials(first: 100) { edges { node { id } } } } } } }`,
      {},
      { token: canThoAdmin },
    );
    const ids = response.data!.agencies.edges.flatMap((edge: any) =>
      edge.node.officials.edges.map((e: any) => Buffer.from(e.node.id, 'base64').toString().split(':')[1]),
    );
    const foreign = await owner.prisma.official.count({ where: { id: { in: ids }, tenantId: { not: canTho.id } } });
    expect(ids.length).toBeGreaterThan(0);
    expect(foreign).toBe(0);
  });

  test("mutations given another province's ids fail and change nothing", async () => {
    const before = await ownerOfficial(daNangOfficial.id);
    const attempts = [
      api.gql(`mutation ($id: ID!) { updateOfficial(id: $id, input: { phone: "0901234567" }) { id } }`, { id: daNangOfficial.id }, { token: canThoAdmin }),
      api.gql(`mutation ($id: ID!) { retireOfficial(id: $id, input: { effectiveOn: "2026-12-01" }) { id } }`, { id: daNangOfficial.id }, { token: canThoAdmin }),
      api.gql(
        `mutation ($id: ID!, $agency: ID!) { transferOfficial(id: $id, input: { toAgencyId: $agency, effectiveOn: "2026-12-01" }) { id } }`,
        { id: canThoOfficialId, agency: daNangAgencyId },
        { token: canThoAdmin },
      ),
      api.gql(
        `mutation ($agency: ID!) { createOfficial(input: { fullName: "Lê Văn Tám", position: "Chuyên viên", email: "lvtam.attack@cantho.gov.vn", agencyId: $agency }) { id } }`,
        { agency: daNangAgencyId },
        { token: canThoAdmin },
      ),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
    expect(await ownerOfficial(daNangOfficial.id)).toEqual(before);
    expect(await owner.prisma.official.count({ where: { email: 'lvtam.attack@cantho.gov.vn' } })).toBe(0);
  });

  test("a token of one province cannot act in another by naming it in X-Province", async () => {
    const response = await api.gql(officialsQuery, {}, { token: canThoAdmin, province: 'da-nang' });
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(response.data?.officials).toBeUndefined();
  });

  test('a request with no province sees no tenant rows', async () => {
    const response = await api.gql(`{ agencies(first: 5) { totalCount } }`);
    expect(response.errors?.[0].extensions?.code).toBe('PROVINCE_REQUIRED');
    const platform = await api.token({ roles: ['platform_admin'] });
    const asPlatform = await api.gql(`{ node(id: "${daNangAgencyId}") { id } }`, {}, { token: platform });
    expect(asPlatform.data).toEqual({ node: null });
  });
});

describe('directly against the database, as the API role', () => {
  test('a query with no WHERE at all returns only the current province', async () => {
    const transaction = await openRequestTransaction(api.database, canTho.id, 10_000);
    try {
      const officials = await transaction.db.official.findMany();
      const [{ count }] = await transaction.db.$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM official`;
      expect(officials.length).toBeGreaterThan(0);
      expect(new Set(officials.map((official) => official.tenantId))).toEqual(new Set([canTho.id]));
      expect(Number(count)).toBe(officials.length);
      expect(await transaction.db.agency.count({ where: { tenantId: daNang.id } })).toBe(0);
    } finally {
      await transaction.rollback();
    }
  });

  test('updates and deletes with no WHERE touch only the current province', async () => {
    const daNangBefore = await owner.prisma.official.findMany({ where: { tenantId: daNang.id }, orderBy: { id: 'asc' } });
    const transaction = await openRequestTransaction(api.database, canTho.id, 10_000);
    try {
      const updated = await transaction.db.official.updateMany({ data: { phone: '0900000000' } });
      const ownCount = await transaction.db.official.count();
      expect(updated.count).toBe(ownCount);
      await transaction.db.$executeRaw`DELETE FROM work_history_entry`;
    } finally {
      await transaction.rollback();
    }
    expect(await owner.prisma.official.findMany({ where: { tenantId: daNang.id }, orderBy: { id: 'asc' } })).toEqual(daNangBefore);
  });

  test("inserting a row for another province is refused by row-level security", async () => {
    const agency = await owner.prisma.agency.findFirstOrThrow({ where: { tenantId: daNang.id } });
    const transaction = await openRequestTransaction(api.database, canTho.id, 10_000);
    try {
      await expect(
        transaction.db.$executeRaw`INSERT INTO official (tenant_id, id, person_id, full_name, search_name, agency_id, position, email, updated_at)
          VALUES (${daNang.id}::uuid, gen_random_uuid(), gen_random_uuid(), 'Trần Thị Bé', 'tran thi be', ${agency.id}::uuid, 'Chuyên viên', 'ttbe@danang.gov.vn', now())`,
      ).rejects.toThrow(/row-level security|42501/);
    } finally {
      await transaction.rollback();
    }
  });

  test("a row cannot reference another province's row, even with its id", async () => {
    const foreignAgency = await owner.prisma.agency.findFirstOrThrow({ where: { tenantId: daNang.id } });
    const transaction = await openRequestTransaction(api.database, canTho.id, 10_000);
    try {
      await expect(
        transaction.db.$executeRaw`INSERT INTO official (tenant_id, id, person_id, full_name, search_name, agency_id, position, email, updated_at)
          VALUES (${canTho.id}::uuid, gen_random_uuid(), gen_random_uuid(), 'Trần Thị Bé', 'tran thi be', ${foreignAgency.id}::uuid, 'Chuyên viên', 'ttbe@cantho.gov.vn', now())`,
      ).rejects.toThrow(/foreign key|23503/);
    } finally {
      await transaction.rollback();
    }
  });

  test('with no province set, tenant tables are empty and shared tables read-only', async () => {
    const transaction = await openRequestTransaction(api.database, null, 10_000);
    try {
      expect(await transaction.db.official.count()).toBe(0);
      expect(await transaction.db.agency.count()).toBe(0);
      expect(await transaction.db.tenant.count()).toBeGreaterThan(0);
      await expect(transaction.db.$executeRaw`UPDATE tenant SET name = 'Tỉnh giả mạo'`).rejects.toThrow(/permission denied|42501/);
    } finally {
      await transaction.rollback();
    }
  });

  test('the API role cannot switch itself out of row-level security', async () => {
    const transaction = await openRequestTransaction(api.database, canTho.id, 10_000);
    try {
      await expect(transaction.db.$executeRaw`SET LOCAL row_security = off`.then(() => transaction.db.official.findMany({ where: { tenantId: daNang.id } }))).rejects.toThrow(/row-level security|42501/);
    } finally {
      await transaction.rollback();
    }
  });
});

test('the API role cannot become another role', async () => {
  const transaction = await openRequestTransaction(api.database, canTho.id, 10_000);
  try {
    await expect(transaction.db.$executeRaw`SET LOCAL ROLE postgres`).rejects.toThrow(/permission denied|42501/);
  } finally {
    await transaction.rollback();
  }
});

describe('every tenant-owned table', () => {
  const tenantTables = async () =>
    (
      await owner.prisma.$queryRaw<{ table: string; rls: boolean; forced: boolean; policies: bigint }[]>`
        SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
               (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
        ORDER BY c.relname`
    ).filter((row) => row.table !== 'tenant');

  test('has row-level security enabled, forced and with a policy — none is forgotten', async () => {
    const tables = await tenantTables();
    expect(tables.map((row) => row.table)).toEqual(expect.arrayContaining(['dossier', 'dossier_log_entry', 'dossier_counter', 'portal_sync_record', 'province_procedure', 'calendar_day', 'calendar_year']));
    for (const row of tables) expect({ table: row.table, rls: row.rls, forced: row.forced, policies: Number(row.policies) > 0 }).toEqual({ table: row.table, rls: true, forced: true, policies: true });
  });

  test("shows none of another province's rows, with a WHERE that asks for them", async () => {
    // A dossier of Đà Nẵng, so that the dossier tables have something to hide.
    const clerk = await api.token({ province: daNang.id, roles: ['official', 'receiving_clerk'], agency: '000.00.03.H17' });
    const performed = await owner.prisma.provinceProcedure.findFirstOrThrow({ where: { tenantId: daNang.id, agency: { code: '000.00.03.H17' } }, include: { procedure: true } });
    const received = await api.gql(
      `mutation($input: ReceiveDossierInput!) { receiveDossier(input: $input) { code dossier { id } } }`,
      {
        input: {
          procedureCode: performed.procedure.code,
          agencyId: Buffer.from(`Agency:${performed.agencyId}`).toString('base64'),
          applicant: { name: 'Đinh Công Tráng', type: 'CITIZEN', idNumber: '048090001122', phone: '0905111222' },
          summary: 'Hồ sơ dùng để thử cách ly dữ liệu',
          documentsProvided: (performed.procedure.requiredDocuments as { code: string; required: boolean }[]).filter((d) => d.required).map((d) => d.code),
        },
      },
      { token: clerk },
    );
    expect(received.errors).toBeUndefined();
    const transaction = await openRequestTransaction(api.database, canTho.id, 10_000);
    try {
      // The one sanctioned crossing of a tenant table: the file of a document Đà Nẵng sent to Cần Thơ
      // (an envelope not recalled) is readable in Cần Thơ. Exactly those rows, counted as the owner.
      const sentToCanTho = (alias: string, fileColumn: string) =>
        `EXISTS (SELECT 1 FROM document_envelope e WHERE e.file_id = ${alias}.${fileColumn} AND e.sender_tenant_id = ${alias}.tenant_id
           AND e.recipient_tenant_id = '${canTho.id}'::uuid AND e.status <> 'RECALLED')`;
      const crossing: Record<string, string> = { stored_file: sentToCanTho('x', 'id'), file_chunk: sentToCanTho('x', 'file_id') };
      for (const { table } of await tenantTables()) {
        const [theirs] = await owner.prisma.$queryRawUnsafe<{ count: bigint }[]>(`SELECT count(*) FROM ${table} WHERE tenant_id = $1::uuid`, daNang.id);
        const [seen] = await transaction.db.$queryRawUnsafe<{ count: bigint }[]>(`SELECT count(*) FROM ${table} WHERE tenant_id = $1::uuid`, daNang.id);
        const [sent] = crossing[table]
          ? await owner.prisma.$queryRawUnsafe<{ count: bigint }[]>(`SELECT count(*) FROM ${table} x WHERE x.tenant_id = $1::uuid AND ${crossing[table]}`, daNang.id)
          : [{ count: 0n }];
        expect({ table, seen: Number(seen.count) }).toEqual({ table, seen: Number(sent.count) });
        if (['dossier', 'dossier_log_entry', 'portal_sync_record', 'province_procedure'].includes(table)) expect(Number(theirs.count)).toBeGreaterThan(0);
      }
      // Nor can it take a number from Đà Nẵng's counter.
      await expect(
        transaction.db.$executeRaw`INSERT INTO dossier_counter (tenant_id, agency_id, day, last_value) VALUES (${daNang.id}::uuid, ${performed.agencyId}::uuid, CURRENT_DATE, 1)
          ON CONFLICT (tenant_id, agency_id, day) DO UPDATE SET last_value = dossier_counter.last_value + 1`,
      ).rejects.toThrow(/row-level security|42501/);
    } finally {
      await transaction.rollback();
    }

    // And through the API: Cần Thơ's staff can neither see nor move it, nor track it from Cần Thơ.
    const canThoClerk = await api.token({ province: canTho.id, roles: ['official', 'receiving_clerk', 'leader'], agency: '000.00.03.H13' });
    const dossierId = received.data!.receiveDossier.dossier.id;
    const seen = await api.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: dossierId }, { token: canThoClerk });
    expect(seen.data).toEqual({ node: null });
    const moved = await api.gql(`mutation($id: ID!) { moveDossier(input: { dossierId: $id, action: START_PROCESSING }) { id } }`, { id: dossierId }, { token: canThoClerk });
    expect(moved.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await owner.prisma.dossier.findFirstOrThrow({ where: { code: received.data!.receiveDossier.code } })).status).toBe('RECEIVED');
    const queue = await api.gql(
      `query($agency: ID!) { dossierQueue(filter: { agencyId: $agency }) { totalCount } }`,
      { agency: Buffer.from(`Agency:${performed.agencyId}`).toString('base64') },
      { token: await api.token({ province: canTho.id, roles: ['official', 'province_admin'] }) },
    );
    expect(queue.data?.dossierQueue.totalCount ?? 0).toBe(0);
  });
});
