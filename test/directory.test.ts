// The directory through GraphQL: search, pagination, the officials' life cycle, CSV import, and the
// promise that bad input changes nothing.
import { openPostgres, type Database } from '../src/db/database';
import { startTestApi, type TestApi } from './support/api';
import { province, uniqueEmail } from './support/fixtures';

const canTho = province('can-tho');
const vinhLong = province('vinh-long');
const daNang = province('da-nang');

let api: TestApi;
let owner: Database;
let admin: string;
let agencies: { id: string; code: string; name: string }[];

const officialFields = `id fullName email position status agency { code name } workHistory { agencyName provinceName position startedOn endedOn decisionNumber note }`;

beforeAll(async () => {
  api = await startTestApi();
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  admin = await api.token({ province: canTho.id, roles: ['official', 'province_admin'] });
  const response = await api.gql(`{ agencies(first: 100) { edges { node { id code name } } } }`, {}, { token: admin });
  agencies = response.data!.agencies.edges.map((edge: any) => edge.node);
});
afterAll(async () => {
  await api.close();
  await owner.close();
});

const createOfficial = (input: Record<string, unknown>, token = admin) =>
  api.gql(`mutation ($input: CreateOfficialInput!) { createOfficial(input: $input) { ${officialFields} } }`, { input }, { token });

const tableCounts = async () => ({
  officials: await owner.prisma.official.count(),
  history: await owner.prisma.workHistoryEntry.count(),
  roles: await owner.prisma.officialRole.count(),
  transfers: await owner.prisma.officialTransfer.count(),
});

describe('searching and paging', () => {
  test('name search ignores diacritics and case', async () => {
    const email = uniqueEmail('nvan', 'cantho.gov.vn');
    await createOfficial({ fullName: 'Nguyễn Văn An', position: 'Chuyên viên', email, agencyId: agencies[0].id });
    for (const search of ['nguyen van an', 'NGUYỄN VĂN AN', 'van an']) {
      const response = await api.gql(
        `query ($search: String) { officials(filter: { search: $search }) { edges { node { fullName email } } } }`,
        { search },
        { token: admin },
      );
      expect(response.data!.officials.edges.map((edge: any) => edge.node.email)).toContain(email);
    }
  });

  test('pages follow each other without overlap, in name order', async () => {
    const page = (after?: string) =>
      api.gql(
        `query ($after: String) { officials(first: 4, after: $after, orderBy: { field: NAME }) { pageInfo { hasNextPage endCursor } edges { node { id fullName } } } }`,
        { after },
        { token: admin },
      );
    const first = await page();
    const second = await page(first.data!.officials.pageInfo.endCursor);
    const ids = [...first.data!.officials.edges, ...second.data!.officials.edges].map((edge: any) => edge.node.id);
    expect(new Set(ids).size).toBe(8);
    expect(first.data!.officials.pageInfo.hasNextPage).toBe(true);
  });

  test('listing officials with agency and unit costs the same statements for 5 as for 50', async () => {
    const vinhLongAdmin = await api.token({ province: vinhLong.id, roles: ['official', 'province_admin'] });
    const { data } = await api.gql(`{ agencies(first: 1) { edges { node { code } } } }`, {}, { token: vinhLongAdmin });
    const code = data!.agencies.edges[0].node.code;
    const rows = Array.from({ length: 60 }, (_, i) => `Trần Văn Thử ${i + 1},Chuyên viên,${code},tvthu${i + 1}.bench@vinhlong.gov.vn`);
    const imported = await api.gql(
      `mutation ($csv: String!) { importOfficials(csv: $csv) { ok importedCount } }`,
      { csv: ['fullName,position,agencyCode,email', ...rows].join('\n') },
      { token: vinhLongAdmin },
    );
    expect(imported.data!.importOfficials).toEqual({ ok: true, importedCount: 60 });

    const list = `query ($first: Int!) { officials(first: $first) { totalCount edges { node { fullName agency { name unit { name } parent { name } } roles { role } } } } }`;
    const statementsFor = async (first: number) => {
      api.statements.length = 0;
      const response = await api.gql(list, { first }, { token: vinhLongAdmin });
      expect(response.data!.officials.edges).toHaveLength(first);
      return api.statements.length;
    };
    const few = await statementsFor(5);
    const many = await statementsFor(50);
    expect(many).toBe(few);
    expect(many).toBeLessThanOrEqual(10);
  });
});

describe("an official's working life", () => {
  test('created, promoted, transferred within the province, then to another province, history kept', async () => {
    const email = uniqueEmail('ptmai', 'cantho.gov.vn');
    const created = await createOfficial({
      fullName: 'Phạm Thị Mai',
      birthDate: '1988-03-14',
      gender: 'FEMALE',
      idNumber: '092188001234',
      position: 'Chuyên viên',
      rankCode: '01.003',
      rankName: 'Chuyên viên',
      payStep: 3,
      payCoefficient: 3.0,
      email,
      phone: '0912 345 678',
      agencyId: agencies[0].id,
      startedOn: '2020-01-02',
      decisionNumber: '15/QĐ-UBND',
    });
    expect(created.errors).toBeUndefined();
    const id = created.data!.createOfficial.id;

    const promoted = await api.gql(
      `mutation ($id: ID!) { updateOfficial(id: $id, input: { position: "Phó Trưởng phòng", phone: null }) { position workHistory { position endedOn } } }`,
      { id },
      { token: admin },
    );
    expect(promoted.data!.updateOfficial.workHistory.map((entry: any) => entry.position)).toEqual(['Chuyên viên', 'Phó Trưởng phòng']);

    const moved = await api.gql(
      `mutation ($id: ID!, $to: ID!) { transferOfficial(id: $id, input: { toAgencyId: $to, effectiveOn: "2030-01-01", decisionNumber: "125/QĐ-UBND" }) { ${officialFields} } }`,
      { id, to: agencies[1].id },
      { token: admin },
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.transferOfficial.agency.code).toBe(agencies[1].code);
    expect(moved.data!.transferOfficial.workHistory.at(-1)).toMatchObject({ agencyName: agencies[1].name, startedOn: '2030-01-01', endedOn: null });

    // To another province: a request Đà Nẵng answers; until then the official works here.
    const daNangAdmin = await api.token({ province: daNang.id, roles: ['official', 'province_admin'] });
    const daNangAgency = (await api.gql(`{ agencies(first: 1) { edges { node { code name } } } }`, {}, { token: daNangAdmin })).data!.agencies.edges[0].node;
    const asked = await api.gql(
      `mutation ($id: ID!, $code: String!) { transferOfficial(id: $id, input: { toProvince: "48", toAgencyCode: $code, effectiveOn: "2031-06-01", decisionNumber: "88/QĐ-UBND" }) { status transferRequests { id status toProvinceName toAgencyName } } }`,
      { id, code: daNangAgency.code },
      { token: admin },
    );
    expect(asked.errors).toBeUndefined();
    expect(asked.data!.transferOfficial).toMatchObject({ status: 'WORKING', transferRequests: [{ status: 'PENDING', toProvinceName: daNang.name, toAgencyName: daNangAgency.name }] });
    const requestId = asked.data!.transferOfficial.transferRequests[0].id;

    const accepted = await api.gql(
      `mutation ($id: ID!) { acceptOfficialTransfer(id: $id) { status direction official { status email agency { code } } } }`,
      { id: requestId },
      { token: daNangAdmin },
    );
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.acceptOfficialTransfer).toMatchObject({ status: 'ACCEPTED', direction: 'INCOMING', official: { status: 'WORKING', email, agency: { code: daNangAgency.code } } });

    const here = await api.gql(
      `query ($id: ID!) { node(id: $id) { ... on Official { status workHistory { endedOn note } transferRequests { status } } } }`,
      { id },
      { token: admin },
    );
    expect(here.data!.node.status).toBe('TRANSFERRED');
    expect(here.data!.node.workHistory.at(-1)).toMatchObject({ endedOn: '2031-06-01', note: expect.stringContaining(daNang.name) });
    expect(here.data!.node.transferRequests).toEqual([{ status: 'ACCEPTED' }]);

    const there = await api.gql(
      `query ($search: String) { officials(filter: { search: $search }) { edges { node { fullName email status agency { code } workHistory { provinceName agencyName position startedOn endedOn } } } } }`,
      { search: 'pham thi mai' },
      { token: daNangAdmin },
    );
    const arrived = there.data!.officials.edges.map((edge: any) => edge.node).find((node: any) => node.email === email);
    expect(arrived).toMatchObject({ status: 'WORKING', agency: { code: daNangAgency.code } });
    expect(arrived.workHistory.map((entry: any) => entry.provinceName)).toEqual([canTho.name, canTho.name, canTho.name, daNang.name]);
    expect(arrived.workHistory.at(-1)).toMatchObject({ startedOn: '2031-06-01', endedOn: null });
  });

  test('retiring closes the posting and removes back-office roles', async () => {
    const created = await createOfficial({ fullName: 'Võ Văn Hùng', position: 'Trưởng phòng', email: uniqueEmail('vvhung', 'cantho.gov.vn'), agencyId: agencies[0].id, startedOn: '2015-05-01' });
    const id = created.data!.createOfficial.id;
    const retired = await api.gql(
      `mutation ($id: ID!) { retireOfficial(id: $id, input: { effectiveOn: "2026-12-31", decisionNumber: "301/QĐ-UBND" }) { status roles { role } workHistory { endedOn note } } }`,
      { id },
      { token: admin },
    );
    expect(retired.data!.retireOfficial).toEqual({ status: 'RETIRED', roles: [], workHistory: [{ endedOn: '2026-12-31', note: 'Nghỉ hưu theo 301/QĐ-UBND' }] });
  });
});

describe('CSV import', () => {
  test('a file with one bad row imports nothing and reports every problem by line', async () => {
    const before = await tableCounts();
    const csv = [
      'fullName,birthDate,gender,idNumber,agencyCode,position,rankCode,email',
      `Đặng Thị Hồng,14/03/1990,Nữ,092190004567,${agencies[0].code},Chuyên viên,01.003,${uniqueEmail('dthong', 'cantho.gov.vn')}`,
      `Bùi Văn Long,1991-02-30,Nam,12345,${agencies[0].code},Chuyên viên,01.003,khong-phai-email`,
      `Lý Thị Thu,,Nữ,,000.00.99.Z99,Chuyên viên,,${uniqueEmail('ltthu', 'cantho.gov.vn')}`,
    ].join('\n');
    const response = await api.gql(
      `mutation ($csv: String!) { importOfficials(csv: $csv) { ok importedCount fileErrors rows { line ok errors { field message } } } }`,
      { csv },
      { token: admin },
    );
    const report = response.data!.importOfficials;
    expect(report.ok).toBe(false);
    expect(report.importedCount).toBe(0);
    expect(report.rows.map((row: any) => [row.line, row.ok])).toEqual([[2, true], [3, false], [4, false]]);
    expect(report.rows[1].errors.map((error: any) => error.field).sort()).toEqual(['birthDate', 'email', 'idNumber']);
    expect(report.rows[2].errors).toEqual([{ field: 'agencyCode', message: expect.stringContaining('000.00.99.Z99') }]);
    expect(await tableCounts()).toEqual(before);
  });

  test('a good file imports every row with a first posting', async () => {
    const emails = [uniqueEmail('hvnam', 'cantho.gov.vn'), uniqueEmail('ttlan', 'cantho.gov.vn')];
    const csv = `fullName,agencyCode,position,email\nHồ Văn Nam,${agencies[0].code},Chuyên viên,${emails[0]}\n"Trương Thị Lan, Jr",${agencies[1].code},Văn thư,${emails[1]}\n`;
    const response = await api.gql(`mutation ($csv: String!) { importOfficials(csv: $csv) { ok importedCount } }`, { csv }, { token: admin });
    expect(response.data!.importOfficials).toEqual({ ok: true, importedCount: 2 });
    const rows = await owner.prisma.official.findMany({ where: { email: { in: emails } }, include: { workHistory: true } });
    expect(rows.map((row) => row.workHistory.length)).toEqual([1, 1]);
  });
});

describe('bad input to every mutation: a clear error and an unchanged database', () => {
  let existingId: string;
  let existingEmail: string;
  beforeAll(async () => {
    existingEmail = uniqueEmail('dvtoan', 'cantho.gov.vn');
    existingId = (await createOfficial({ fullName: 'Đỗ Văn Toàn', position: 'Chuyên viên', email: existingEmail, agencyId: agencies[0].id, startedOn: '2024-01-01' })).data!.createOfficial.id;
  });

  // Every row has four entries: a test function with more parameters than its row is taken for a `done` test.
  const cases: [string, () => { query: string; variables: Record<string, unknown> }, string, string | undefined][] = [
    ['createOfficial: invalid e-mail and ID number', () => ({ query: `mutation ($input: CreateOfficialInput!) { createOfficial(input: $input) { id } }`, variables: { input: { fullName: 'Mai Văn Sơn', position: 'Chuyên viên', email: 'sai@', idNumber: '123', agencyId: agencies[0].id } } }), 'BAD_USER_INPUT', 'email'],
    ['createOfficial: e-mail already used', () => ({ query: `mutation ($input: CreateOfficialInput!) { createOfficial(input: $input) { id } }`, variables: { input: { fullName: 'Mai Văn Sơn', position: 'Chuyên viên', email: existingEmail, agencyId: agencies[0].id } } }), 'CONFLICT', 'email'],
    ['createOfficial: blank name', () => ({ query: `mutation ($input: CreateOfficialInput!) { createOfficial(input: $input) { id } }`, variables: { input: { fullName: '   ', position: 'Chuyên viên', email: 'mvson@cantho.gov.vn', agencyId: agencies[0].id } } }), 'BAD_USER_INPUT', 'fullName'],
    ['createOfficial: a date that does not exist', () => ({ query: `mutation ($input: CreateOfficialInput!) { createOfficial(input: $input) { id } }`, variables: { input: { fullName: 'Mai Văn Sơn', position: 'Chuyên viên', email: 'mvson@cantho.gov.vn', birthDate: '1990-02-30', agencyId: agencies[0].id } } }), 'BAD_USER_INPUT', undefined],
    ['createOfficial: an id that is not an agency', () => ({ query: `mutation ($input: CreateOfficialInput!) { createOfficial(input: $input) { id } }`, variables: { input: { fullName: 'Mai Văn Sơn', position: 'Chuyên viên', email: 'mvson@cantho.gov.vn', agencyId: existingId } } }), 'BAD_USER_INPUT', undefined],
    ['updateOfficial: pay step out of range', () => ({ query: `mutation ($id: ID!) { updateOfficial(id: $id, input: { payStep: 40 }) { id } }`, variables: { id: existingId } }), 'BAD_USER_INPUT', 'payStep'],
    ['updateOfficial: clearing a required field', () => ({ query: `mutation ($id: ID!) { updateOfficial(id: $id, input: { email: null }) { id } }`, variables: { id: existingId } }), 'BAD_USER_INPUT', 'email'],
    ['transferOfficial: no destination', () => ({ query: `mutation ($id: ID!) { transferOfficial(id: $id, input: { effectiveOn: "2027-01-01" }) { id } }`, variables: { id: existingId } }), 'BAD_USER_INPUT', 'toAgencyId'],
    ['transferOfficial: before the current posting began', () => ({ query: `mutation ($id: ID!, $to: ID!) { transferOfficial(id: $id, input: { toAgencyId: $to, effectiveOn: "2019-01-01" }) { id } }`, variables: { id: existingId, to: agencies[1].id } }), 'BAD_USER_INPUT', 'effectiveOn'],
    ['transferOfficial: to a merged province', () => ({ query: `mutation ($id: ID!) { transferOfficial(id: $id, input: { toProvince: "soc-trang", toAgencyCode: "000.00.01.H01", effectiveOn: "2027-01-01" }) { id } }`, variables: { id: existingId } }), 'BAD_USER_INPUT', 'toProvince'],
    ['transferOfficial: to an agency code that does not exist there', () => ({ query: `mutation ($id: ID!) { transferOfficial(id: $id, input: { toProvince: "48", toAgencyCode: "999.99.99.Z99", effectiveOn: "2027-01-01" }) { id } }`, variables: { id: existingId } }), 'NOT_FOUND', 'toAgencyCode'],
    ['retireOfficial: before the current posting began', () => ({ query: `mutation ($id: ID!) { retireOfficial(id: $id, input: { effectiveOn: "2000-01-01" }) { id } }`, variables: { id: existingId } }), 'BAD_USER_INPUT', 'effectiveOn'],
    ['importOfficials: a file with no header', () => ({ query: `mutation { importOfficials(csv: "") { ok } }`, variables: {} }), 'OK_FALSE', undefined],
  ];

  test.each(cases)('%s', async (_label, build, code, field) => {
    const before = await tableCounts();
    const snapshot = await owner.prisma.official.findMany({ orderBy: { id: 'asc' } });
    const { query, variables } = build();
    const response = await api.gql(query, variables, { token: admin });
    if (code === 'OK_FALSE') {
      expect(response.data!.importOfficials.ok).toBe(false);
    } else {
      expect(response.errors?.[0].extensions?.code).toBe(code);
      expect(response.errors?.[0].message).toMatch(/\S/);
      if (field) expect(response.errors?.[0].extensions?.fieldErrors.map((error: any) => error.field)).toContain(field);
    }
    expect(await tableCounts()).toEqual(before);
    expect(await owner.prisma.official.findMany({ orderBy: { id: 'asc' } })).toEqual(snapshot);
  });
});

describe('units and agencies', () => {
  test("a province's current communes, and where a pre-2025 ward went", async () => {
    const current = await api.gql(`{ administrativeUnits(first: 500, level: COMMUNE) { totalCount } }`, {}, { province: 'can-tho' });
    expect(current.errors).toBeUndefined();
    const historical = await api.gql(
      `{ administrativeUnits(first: 1, level: COMMUNE, validOn: "2025-06-30") { edges { node { name validTo successors { resolution successor { name validFrom } } } } } }`,
      {},
      { province: 'soc-trang' },
    );
    const [{ node }] = historical.data!.administrativeUnits.edges;
    expect(node.validTo).toBe('2025-06-30');
    expect(node.successors[0].successor.validFrom).toBe('2025-07-01');
  });

  test('agencies form a tree', async () => {
    const response = await api.gql(`{ agencies(rootsOnly: true) { edges { node { name children { name parent { name } } } } } }`, {}, { province: '92' });
    const roots = response.data!.agencies.edges.map((edge: any) => edge.node);
    expect(roots.length).toBeGreaterThan(0);
    const children = roots.flatMap((root: any) => root.children.map((child: any) => [root.name, child.parent.name]));
    expect(children.length).toBeGreaterThan(0);
    for (const [root, parent] of children) expect(parent).toBe(root);
  });
});
