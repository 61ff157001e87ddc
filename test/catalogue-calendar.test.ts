// The procedure catalogue (public search, a province enabling procedures with its own terms) and the
// working calendar (filled from the rules, edited by the province admin, used for due dates).
import { startTestApi, type TestApi } from './support/api';
import { openPostgres, type Database } from '../src/db/database';
import { province } from './support/fixtures';
import { RECEIVE, intake, openDesk } from './support/dossier-fixtures';

let api: TestApi;
let owner: Database;
let admin: string;
const slug = 'quang-tri';

beforeAll(async () => {
  api = await startTestApi();
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  admin = await api.token({ province: province(slug).id, roles: ['official', 'province_admin'] });
});

afterAll(async () => {
  await api.close();
  await owner.close();
});

const SEARCH = `query($filter: ProcedureFilter) { procedures(first: 100, filter: $filter) { totalCount edges { node { code name level onlineLevel fieldCode processingTime { amount unit } } } } }`;

describe('the national catalogue, for anyone', () => {
  test.each([
    ['dang ky khai sinh', '1.001193'],
    ['ĐĂNG KÝ KHAI SINH', '1.001193'],
    ['khai tử', '1.000656'],
    ['1.0011', '1.001193'],
  ])('searching "%s" finds %s', async (search, code) => {
    const result = await api.gql(SEARCH, { filter: { search } });
    expect(result.errors).toBeUndefined();
    expect(result.data!.procedures.edges.map((edge: any) => edge.node.code)).toContain(code);
  });

  test('filters by field, level and online level, and every row matches', async () => {
    const result = await api.gql(SEARCH, { filter: { fieldCode: 'HO_TICH', level: 'COMMUNE', onlineLevel: 'FULL' } });
    const nodes = result.data!.procedures.edges.map((edge: any) => edge.node);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((node: any) => node.fieldCode === 'HO_TICH' && node.level === 'COMMUNE' && node.onlineLevel === 'FULL')).toBe(true);
    expect(result.data!.procedures.totalCount).toBe(nodes.length);
  });

  test('holds at least thirty procedures across the fields the one-stop shops handle', async () => {
    const result = await api.gql(SEARCH, {});
    expect(result.data!.procedures.totalCount).toBeGreaterThanOrEqual(30);
    const fields = new Set(result.data!.procedures.edges.map((edge: any) => edge.node.fieldCode));
    expect(fields.size).toBeGreaterThanOrEqual(6);
  });
});

describe('a province enables procedures', () => {
  const ENABLE = `mutation($input: EnableProcedureInput!) { enableProcedure(input: $input) { id enabled feeVnd processingTime { amount unit } agency { code } procedure { code } } }`;
  let department: { id: string; code: string };
  let commune: { id: string; code: string };

  beforeAll(async () => {
    const agencies = await api.gql(`{ agencies(first: 100) { edges { node { id code kind } } } }`, {}, { province: slug });
    const nodes = agencies.data!.agencies.edges.map((edge: any) => edge.node);
    department = nodes.find((node: any) => node.kind === 'DEPARTMENT');
    commune = nodes.find((node: any) => node.kind === 'COMMUNE_COMMITTEE');
  });

  const rows = () => owner.prisma.provinceProcedure.findMany({ where: { tenantId: province(slug).id }, orderBy: { id: 'asc' } });

  test.each([
    ['a commune procedure at a department', () => ({ procedureCode: '1.001193', agencyId: department.id }), 'BAD_USER_INPUT', 'agencyId'],
    ['a time longer than the national one', () => ({ procedureCode: '1.000656', agencyId: commune.id, processingAmount: 99 }), 'BAD_USER_INPUT', 'processingAmount'],
    ['a negative fee', () => ({ procedureCode: '1.000656', agencyId: commune.id, feeVnd: -5000 }), 'BAD_USER_INPUT', 'feeVnd'],
    ['a malformed code', () => ({ procedureCode: 'khai-sinh', agencyId: commune.id }), 'BAD_USER_INPUT', 'procedureCode'],
    ['a code not in the catalogue', () => ({ procedureCode: '9.999999', agencyId: commune.id }), 'NOT_FOUND', 'procedureCode'],
  ])('refuses %s and changes nothing', async (_case, input, code, field) => {
    const before = await rows();
    const result = await api.gql(ENABLE, { input: input() }, { token: admin, province: slug });
    expect(result.errors?.[0].extensions?.code).toBe(code);
    expect(result.errors?.[0].extensions?.fieldErrors.map((error: { field: string }) => error.field)).toContain(field);
    expect(await rows()).toEqual(before);
  });

  test('enables with a shorter time and its own fee, disables, and the public list follows', async () => {
    const enabled = await api.gql(ENABLE, { input: { procedureCode: '1.000656', agencyId: commune.id, processingAmount: 0, feeVnd: 0 } }, { token: admin, province: slug });
    expect(enabled.errors).toBeUndefined();
    expect(enabled.data!.enableProcedure).toMatchObject({ enabled: true, feeVnd: 0, processingTime: { amount: 0 }, agency: { code: commune.code } });
    const LIST = `query($agency: ID!, $all: Boolean) { provinceProcedures(first: 100, filter: { agencyId: $agency, includeDisabled: $all }) { edges { node { id procedure { code } enabled } } } }`;
    const id = enabled.data!.enableProcedure.id;
    const disabled = await api.gql(`mutation($id: ID!) { updateProvinceProcedure(id: $id, input: { enabled: false }) { enabled processingTime { amount } } }`, { id }, { token: admin, province: slug });
    expect(disabled.data!.updateProvinceProcedure).toEqual({ enabled: false, processingTime: { amount: 0 } });
    const visible = await api.gql(LIST, { agency: commune.id }, { province: slug });
    expect(visible.data!.provinceProcedures.edges.map((edge: any) => edge.node.id)).not.toContain(id);
    const all = await api.gql(LIST, { agency: commune.id, all: true }, { province: slug });
    expect(all.data!.provinceProcedures.edges.map((edge: any) => edge.node.id)).toContain(id);
  });

  test('only province admins enable procedures', async () => {
    const official = await api.token({ province: province(slug).id, roles: ['official', 'handler'] });
    const result = await api.gql(ENABLE, { input: { procedureCode: '1.000656', agencyId: commune.id } }, { token: official, province: slug });
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the working calendar', () => {
  const CALENDAR = `query($year: Int!) { workingCalendar(year: $year) { year officeHours { start end } days { date kind name } } }`;
  const SET = `mutation($input: CalendarDayInput!) { setCalendarDay(input: $input) { days { date kind name } } }`;
  const CLEAR = `mutation($date: Date!) { clearCalendarDay(date: $date) { days { date } } }`;

  test("2026 is filled from the Prime Minister's published days: Tết, Nghỉ bù Giỗ Tổ and both swaps", async () => {
    const result = await api.gql(CALENDAR, { year: 2026 }, { province: slug });
    expect(result.errors).toBeUndefined();
    const days = new Map(result.data!.workingCalendar.days.map((day: any) => [day.date, day]));
    for (const date of ['2026-01-01', '2026-01-02', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-04-30', '2026-05-01', '2026-08-31', '2026-09-01', '2026-09-02']) {
      expect(days.get(date)).toMatchObject({ kind: 'DAY_OFF' });
    }
    expect(days.get('2026-02-17')).toMatchObject({ name: 'Tết Nguyên đán' });
    expect(days.has('2026-04-26')).toBe(false); // a Sunday: already off
    expect(days.get('2026-04-27')).toMatchObject({ kind: 'DAY_OFF', name: expect.stringMatching(/^Nghỉ bù/) });
    expect(days.get('2026-01-10')).toMatchObject({ kind: 'WORKING_DAY' });
    expect(days.get('2026-08-22')).toMatchObject({ kind: 'WORKING_DAY' });
    expect(days.has('2026-09-03')).toBe(false); // the rules' guess for the day next to 2/9
    expect(result.data!.workingCalendar.officeHours).toEqual([{ start: '07:00', end: '11:30' }, { start: '13:30', end: '17:00' }]);
  });

  test.each([
    [2024, ['2024-02-08', '2024-02-14'], ['2024-02-15']],
    [2025, ['2025-01-27', '2025-01-31'], ['2025-02-03']],
  ])('%i: Tết as published, not as the rules guess', async (year, off, working) => {
    const result = await api.gql(CALENDAR, { year }, { province: slug });
    const dates = result.data!.workingCalendar.days.map((day: any) => day.date);
    expect(dates).toEqual(expect.arrayContaining(off));
    for (const date of working) expect(dates).not.toContain(date);
  });

  test('2028, not yet announced, is filled from the rules: Tết by the lunar calendar', async () => {
    const result = await api.gql(CALENDAR, { year: 2028 }, { province: slug });
    const tet = result.data!.workingCalendar.days.filter((day: any) => day.name === 'Tết Nguyên đán').map((day: any) => day.date);
    // Mùng 1 Mậu Thân is Wednesday 26 January 2028: the eve and mùng 1–4 are Tue 25 – Sat 29.
    expect(tet).toEqual(['2028-01-25', '2028-01-26', '2028-01-27', '2028-01-28']);
  });

  test.each([
    ['a working day on a weekday', { date: '2027-03-03', kind: 'WORKING_DAY', name: 'Làm bù' }, 'date'],
    ['a day off on a Saturday', { date: '2027-03-06', kind: 'DAY_OFF', name: 'Nghỉ' }, 'date'],
    ['an empty name', { date: '2027-03-04', kind: 'DAY_OFF', name: ' ' }, 'name'],
  ])('refuses %s', async (_case, input, field) => {
    const result = await api.gql(SET, { input }, { token: admin, province: slug });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].extensions?.fieldErrors.map((error: { field: string }) => error.field)).toContain(field);
  });

  test("refuses a day in the past: a platform admin's to correct", async () => {
    const result = await api.gql(SET, { input: { date: '2025-03-04', kind: 'DAY_OFF', name: 'Nghỉ' } }, { token: admin, province: slug });
    expect(result.errors?.[0].extensions?.code).toBe('CALENDAR_PAST_DAY_LOCKED');
  });

  test('a declared day off pushes the due date of a dossier received after it', async () => {
    const desk = await openDesk(api, slug, 'Sở Tài chính', 'WORKING_DAYS');
    const receiveNow = async () => {
      const result = await api.gql(RECEIVE, { input: intake(desk) }, { token: desk.clerk, province: slug });
      expect(result.errors).toBeUndefined();
      return new Date(result.data!.receiveDossier.dossier.dueAt);
    };
    const before = await receiveNow();
    // The first working day from tomorrow (not a weekend, not already off): inside the processing time.
    const day = new Date(Date.now() + 7 * 3_600_000 + 86_400_000);
    const daysOff = async (year: number) => {
      const calendar = await api.gql(CALENDAR, { year }, { province: slug });
      return calendar.data!.workingCalendar.days.filter((entry: any) => entry.kind === 'DAY_OFF').map((entry: any) => entry.date);
    };
    const off = [...(await daysOff(day.getUTCFullYear())), ...(await daysOff(day.getUTCFullYear() + 1))];
    while ([0, 6].includes(day.getUTCDay()) || off.includes(day.toISOString().slice(0, 10))) day.setUTCDate(day.getUTCDate() + 1);
    const date = day.toISOString().slice(0, 10);
    const set = await api.gql(SET, { input: { date, kind: 'DAY_OFF', name: 'Nghỉ theo quyết định của UBND tỉnh' } }, { token: admin, province: slug });
    expect(set.errors).toBeUndefined();
    try {
      const after = await receiveNow();
      expect(after.getTime() - before.getTime()).toBeGreaterThanOrEqual(20 * 3_600_000);
    } finally {
      const cleared = await api.gql(CLEAR, { date }, { token: admin, province: slug });
      expect(cleared.data!.clearCalendarDay.days.map((entry: any) => entry.date)).not.toContain(date);
    }
  });

  test('only province admins edit it', async () => {
    const official = await api.token({ province: province(slug).id, roles: ['official', 'leader'] });
    const result = await api.gql(SET, { input: { date: '2027-03-04', kind: 'DAY_OFF', name: 'Nghỉ' } }, { token: official, province: slug });
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
