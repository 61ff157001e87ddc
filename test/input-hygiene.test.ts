// Input hygiene through the server: every string argument has a cap (refused with the field and the
// cap, nothing stored), text is taken as NFC (NFD Vietnamese finds the NFC rows), and % and _ in a
// search are the characters themselves, not LIKE wildcards.
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { openPostgres, type Database } from '../src/db/database';
import { startTestApi, type TestApi } from './support/api';
import { province, uniqueEmail } from './support/fixtures';
import { MOVE, RECEIVE, intake, openDesk, type Desk } from './support/dossier-fixtures';

const canTho = province('can-tho');
const vinhLong = province('vinh-long');

let api: TestApi;
let owner: Database;
let desk: Desk;

beforeAll(async () => {
  api = await startTestApi();
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  desk = await openDesk(api, 'da-nang', 'Sở Tư pháp');
});
afterAll(async () => {
  await api.close();
  await owner.close();
});

const HUGE = 'Chờ xác minh của Công an. '.repeat(27_000).slice(0, 700_000);

describe('a cap on every string argument', () => {
  test('a 700,000-character extension reason is refused, naming the field and the cap, and nothing is stored', async () => {
    const as = { token: desk.leader, province: desk.slug };
    const received = await api.gql(RECEIVE, { input: intake(desk) }, { token: desk.clerk, province: desk.slug });
    const dossier = received.data!.receiveDossier.dossier;
    const started = await api.gql(MOVE, { input: { dossierId: dossier.id, action: 'START_PROCESSING' } }, { token: desk.clerk, province: desk.slug });
    expect(started.errors).toBeUndefined();
    const newDueAt = new Date(new Date(dossier.dueAt).getTime() + 5 * 86_400_000).toISOString();

    const refused = await api.gql(
      `mutation($input: ExtendDossierInput!) { extendDossierDeadline(input: $input) { dueAt extensionLetter } }`,
      { input: { dossierId: dossier.id, newDueAt, apologyLetter: '125/TB-STP', reason: HUGE } },
      as,
    );
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ field: 'reason', message: 'Trường reason dài quá 1.000 ký tự cho phép' }],
    });
    const [row] = await owner.prisma.$queryRaw<{ due_at: Date; extension_letter: string | null; entries: bigint }[]>`
      SELECT d.due_at, d.extension_letter, (SELECT count(*) FROM dossier_log_entry l WHERE l.tenant_id = d.tenant_id AND l.dossier_id = d.id) AS entries
      FROM dossier d WHERE d.code = ${dossier.code}`;
    // received and started: the two entries it had
    expect(row).toEqual({ due_at: new Date(dossier.dueAt), extension_letter: null, entries: 2n });
  });

  test('a 700,000-character transfer position is refused, and the official is as before', async () => {
    const admin = await api.token({ province: canTho.id, roles: ['official', 'province_admin'] });
    const agencies = (await api.gql(`{ agencies(first: 3) { edges { node { id } } } }`, {}, { token: admin })).data!.agencies.edges;
    const created = await api.gql(
      `mutation ($input: CreateOfficialInput!) { createOfficial(input: $input) { id position } }`,
      { input: { fullName: 'Huỳnh Thị Mỹ Duyên', position: 'Chuyên viên', email: uniqueEmail('htmduyen', 'cantho.gov.vn'), agencyId: agencies[0].node.id } },
      { token: admin },
    );
    const official = created.data!.createOfficial;
    const historyBefore = await owner.prisma.workHistoryEntry.count({ where: { tenantId: canTho.id } });

    const refused = await api.gql(
      `mutation ($id: ID!, $to: ID!, $position: String) { transferOfficial(id: $id, input: { toAgencyId: $to, position: $position, effectiveOn: "2030-01-01" }) { position } }`,
      { id: official.id, to: agencies[1].node.id, position: HUGE },
      { token: admin },
    );
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'position' }] });
    expect(refused.errors?.[0].message).toContain('200');
    const again = await api.gql(`query ($id: ID!) { node(id: $id) { ... on Official { position agency { id } } } }`, { id: official.id }, { token: admin });
    expect(again.data!.node).toEqual({ position: 'Chuyên viên', agency: { id: agencies[0].node.id } });
    expect(await owner.prisma.workHistoryEntry.count({ where: { tenantId: canTho.id } })).toBe(historyBefore);
  });

  test('inline literals are capped as variables are, and list items and IDs too', async () => {
    const literal = await api.gql(`{ agencies(search: "${'Sở '.repeat(400)}") { totalCount } }`, {}, { province: 'can-tho' });
    expect(literal.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'search', message: 'Trường search dài quá 1.000 ký tự cho phép' }] });

    const nested = await api.gql(
      `query ($filter: ProcedureFilter) { procedures(filter: $filter) { totalCount } }`,
      { filter: { search: 'x'.repeat(1001) } },
      { province: 'can-tho' },
    );
    expect(nested.errors?.[0].extensions?.fieldErrors).toEqual([{ field: 'filter.search', message: 'Trường filter.search dài quá 1.000 ký tự cho phép' }]);

    const listItem = await api.gql(RECEIVE, { input: intake(desk, { documentsProvided: ['TO_KHAI', 'A'.repeat(5000)] }) }, { token: desk.clerk, province: desk.slug });
    expect(listItem.errors?.[0].extensions?.fieldErrors).toEqual([{ field: 'documentsProvided.1', message: expect.stringContaining('1.000') }]);

    const id = await api.gql(`query ($id: ID!) { node(id: $id) { id } }`, { id: 'A'.repeat(100_000) }, { province: 'can-tho' });
    expect(id.errors?.[0].extensions?.fieldErrors).toEqual([{ field: 'id', message: expect.stringContaining('1.000') }]);
  });

  test('a subscription\'s arguments are capped over WebSocket too', async () => {
    const client = createClient({ url: api.url.replace('http', 'ws'), webSocketImpl: WebSocket, connectionParams: { province: desk.slug }, retryAttempts: 0 });
    try {
      const errors = await new Promise<any[]>((resolve) => {
        client.subscribe(
          { query: `subscription($code: String!, $secret: String!) { dossierStatusChanged(code: $code, secret: $secret) { status } }`, variables: { code: '000.00.03.H13-261202-0001', secret: 'x'.repeat(50_000) } },
          { next: (value) => resolve((value.errors ?? []) as any[]), error: (error) => resolve(error as any[]), complete: () => resolve([]) },
        );
      });
      expect(errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'secret', message: 'Trường secret dài quá 1.000 ký tự cho phép' }] });
    } finally {
      await client.dispose();
    }
  });

  test('a field that declares a longer cap takes it: a note of 2,000 characters, a CSV import', async () => {
    const received = await api.gql(RECEIVE, { input: intake(desk) }, { token: desk.clerk, province: desk.slug });
    const dossierId = received.data!.receiveDossier.dossier.id;
    await api.gql(MOVE, { input: { dossierId, action: 'START_PROCESSING' } }, { token: desk.clerk, province: desk.slug });
    const note = 'Đề nghị bổ sung bản sao Căn cước công dân có chứng thực. '.repeat(40).slice(0, 2000);
    const moved = await api.gql(MOVE, { input: { dossierId, action: 'REQUEST_SUPPLEMENT', note } }, { token: desk.leader, province: desk.slug });
    expect(moved.errors).toBeUndefined();
    const tooLong = await api.gql(MOVE, { input: { dossierId, action: 'RESUME_AFTER_SUPPLEMENT', note: `${note}.` } }, { token: desk.leader, province: desk.slug });
    expect(tooLong.errors?.[0].extensions?.fieldErrors).toEqual([{ field: 'note', message: 'Trường note dài quá 2.000 ký tự cho phép' }]);

    const admin = await api.token({ province: vinhLong.id, roles: ['official', 'province_admin'] });
    const csv = `fullName,agencyCode,position,email\n${'Nguyễn Văn A,000.00.00.X99,Chuyên viên,a@vinhlong.gov.vn\n'.repeat(100)}`;
    const imported = await api.gql(`mutation ($csv: String!) { importOfficials(csv: $csv) { ok importedCount } }`, { csv }, { token: admin });
    // Past the default cap: the rows are judged (an unknown agency), not the length.
    expect(imported.errors).toBeUndefined();
    expect(imported.data!.importOfficials).toEqual({ ok: false, importedCount: 0 });
  });
});

describe('text is taken as NFC', () => {
  test('an NFD search finds the NFC agency and unit', async () => {
    const agencyName = 'Sở Tư pháp'.normalize('NFD');
    expect(agencyName).not.toBe('Sở Tư pháp');
    const agencies = await api.gql(`query ($search: String) { agencies(search: $search) { edges { node { name } } } }`, { search: agencyName }, { province: 'can-tho' });
    expect(agencies.data!.agencies.edges.map((edge: any) => edge.node.name)).toEqual(['Sở Tư pháp thành phố Cần Thơ']);

    const units = await api.gql(
      `query ($search: String) { administrativeUnits(search: $search) { edges { node { name } } } }`,
      { search: 'Ninh Kiều'.normalize('NFD') },
      { province: 'can-tho' },
    );
    expect(units.data!.administrativeUnits.edges.map((edge: any) => edge.node.name)).toContain('Phường Ninh Kiều');
  });

  test('NFD text is stored as NFC', async () => {
    const input = intake(desk, { summary: 'Đề nghị cấp Phiếu lý lịch tư pháp số 2'.normalize('NFD') });
    input.applicant.name = 'Đặng Thị Hồng Nhung'.normalize('NFD');
    const received = await api.gql(RECEIVE, { input }, { token: desk.clerk, province: desk.slug });
    expect(received.errors).toBeUndefined();
    const [row] = await owner.prisma.$queryRaw<{ summary: string; applicant_name: string }[]>`
      SELECT summary, applicant_name FROM dossier WHERE code = ${received.data!.receiveDossier.code}`;
    expect(row).toEqual({ summary: 'Đề nghị cấp Phiếu lý lịch tư pháp số 2', applicant_name: 'Đặng Thị Hồng Nhung' });
  });
});

describe('% and _ in a search are literal', () => {
  // How many rows hold the character, counted without LIKE.
  const holding = async (sql: string, character: string) => Number((await owner.prisma.$queryRawUnsafe<{ count: bigint }[]>(sql, character))[0].count);

  test.each(['%', '_'])('"%s" matches only names containing it', async (character) => {
    const admin = await api.token({ province: vinhLong.id, roles: ['official', 'province_admin'] });
    const agency = (await api.gql(`{ agencies(first: 1) { edges { node { id } } } }`, {}, { token: admin })).data!.agencies.edges[0].node;
    // A name as a careless spreadsheet gives it.
    const fullName = `Trần Văn${character}Hùng`;
    const created = await api.gql(
      `mutation ($input: CreateOfficialInput!) { createOfficial(input: $input) { id } }`,
      { input: { fullName, position: 'Chuyên viên', email: uniqueEmail('tvhung', 'vinhlong.gov.vn'), agencyId: agency.id } },
      { token: admin },
    );
    expect(created.errors).toBeUndefined();

    const officials = await api.gql(`query ($search: String) { officials(filter: { search: $search }) { totalCount edges { node { fullName } } } }`, { search: character }, { token: admin });
    expect(officials.data!.officials.totalCount).toBe(await holding(`SELECT count(*) FROM official WHERE tenant_id = '${vinhLong.id}' AND strpos(full_name, $1) > 0`, character));
    expect(officials.data!.officials.edges.map((edge: any) => edge.node.fullName)).toContain(fullName);

    const agencies = await api.gql(`query ($search: String) { agencies(search: $search) { totalCount } }`, { search: character }, { province: 'vinh-long' });
    expect(agencies.data!.agencies.totalCount).toBe(
      await holding(`SELECT count(*) FROM agency WHERE tenant_id = '${vinhLong.id}' AND (strpos(name, $1) > 0 OR strpos(code, $1) = 1)`, character),
    );
    const units = await api.gql(`query ($search: String) { administrativeUnits(search: $search) { totalCount } }`, { search: character }, { province: 'vinh-long' });
    expect(units.data!.administrativeUnits.totalCount).toBe(
      await holding(`SELECT count(*) FROM administrative_unit WHERE province_code = '${vinhLong.gsoCode}' AND strpos(name, $1) > 0 AND valid_to IS NULL`, character),
    );
    const procedures = await api.gql(`query ($search: String) { procedures(filter: { search: $search }) { totalCount } }`, { search: character }, { province: 'vinh-long' });
    expect(procedures.data!.procedures.totalCount).toBe(
      await holding(`SELECT count(*) FROM procedure WHERE strpos(search_name, $1) > 0 OR strpos(code, $1) = 1`, character),
    );
  });
});
