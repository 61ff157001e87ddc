// "Today" for officials is Vietnam's date at the request's time (ctx.now), not UTC's: at 06:30 in
// Cần Thơ UTC is still on the day before, and a posting started or a birth date entered then belongs
// to the Vietnamese day.
import { startTestApi, type TestApi } from './support/api';
import { province, uniqueEmail } from './support/fixtures';

const canTho = province('can-tho');
// 06:30 on Tuesday 5 May 2026 in Vietnam = 23:30 on Monday 4 May in UTC.
const MORNING_IN_VIETNAM = new Date('2026-05-05T06:30:00+07:00');

let api: TestApi;
let admin: string;
let agency: { id: string; code: string };

beforeAll(async () => {
  api = await startTestApi({}, { clock: () => MORNING_IN_VIETNAM });
  admin = await api.token({ province: canTho.id, roles: ['official', 'province_admin'] });
  const response = await api.gql(`{ agencies(first: 1) { edges { node { id code } } } }`, {}, { token: admin });
  agency = response.data!.agencies.edges[0].node;
});
afterAll(() => api.close());

test('a new official starts on the Vietnamese date, and may be born on it', async () => {
  const created = await api.gql(
    `mutation ($input: CreateOfficialInput!) { createOfficial(input: $input) { birthDate workHistory { startedOn } } }`,
    { input: { fullName: 'Nguyễn Thị Ánh Tuyết', birthDate: '2026-05-05', position: 'Chuyên viên', email: uniqueEmail('ntatuyet', 'cantho.gov.vn'), agencyId: agency.id } },
    { token: admin },
  );
  expect(created.errors).toBeUndefined();
  expect(created.data!.createOfficial).toEqual({ birthDate: '2026-05-05', workHistory: [{ startedOn: '2026-05-05' }] });
});

test('a birth date of tomorrow in Vietnam is refused', async () => {
  const created = await api.gql(
    `mutation ($input: CreateOfficialInput!) { createOfficial(input: $input) { id } }`,
    { input: { fullName: 'Đặng Văn Đức', birthDate: '2026-05-06', position: 'Chuyên viên', email: uniqueEmail('dvduc', 'cantho.gov.vn'), agencyId: agency.id } },
    { token: admin },
  );
  expect(created.errors?.[0].extensions?.fieldErrors).toEqual([{ field: 'birthDate', message: 'Ngày sinh không được sau ngày hôm nay' }]);
});

test('a CSV import starts its postings on the Vietnamese date', async () => {
  const email = uniqueEmail('dvduc', 'cantho.gov.vn');
  const csv = `fullName,agencyCode,position,email,phone\nĐặng Văn Đức,${agency.code},Chuyên viên,${email},0292 3820 123\n`;
  const imported = await api.gql(`mutation ($csv: String!) { importOfficials(csv: $csv) { ok importedCount } }`, { csv }, { token: admin });
  expect(imported.data!.importOfficials).toEqual({ ok: true, importedCount: 1 });
  const found = await api.gql(
    `query ($search: String) { officials(filter: { search: $search }) { edges { node { email phone workHistory { startedOn } } } } }`,
    { search: 'dang van duc' },
    { token: admin },
  );
  const official = found.data!.officials.edges.map((edge: any) => edge.node).find((node: any) => node.email === email);
  expect(official).toEqual({ email, phone: '02923820123', workHistory: [{ startedOn: '2026-05-05' }] });
});
