// Editing the working calendar: the province admin edits today and later, a platform admin corrects a
// past day with a reason, and every change is kept in an append-only audit.
import { startTestApi, type TestApi } from './support/api';
import { openPostgres, type Database } from '../src/db/database';
import { openTransaction } from '../src/db/unit-of-work';
import { holidaysOf } from '../src/modules/calendar/holiday-rules';
import { province } from './support/fixtures';
import { MOVE, RECEIVE, intake, openDesk } from './support/dossier-fixtures';

let api: TestApi;
let owner: Database;
let provinceAdmin: string;
let platformAdmin: string;
const slug = 'vinh-long';
const tenantId = () => province(slug).id;

beforeAll(async () => {
  api = await startTestApi();
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  provinceAdmin = await api.token({ province: tenantId(), roles: ['official', 'province_admin'], sub: 'can-bo-quan-tri-vinh-long' });
  platformAdmin = await api.token({ roles: ['platform_admin'], sub: 'quan-tri-nen-tang-01' });
});

afterAll(async () => {
  await api.close();
  await owner.close();
});

const SET = `mutation($input: CalendarDayInput!) { setCalendarDay(input: $input) { days { date kind name } } }`;
const CLEAR = `mutation($date: Date!, $reason: String) { clearCalendarDay(date: $date, reason: $reason) { days { date kind name } } }`;
const CHANGES = `query($year: Int!) { calendarChanges(year: $year) { date changedAt callerKind callerSubject reason before { kind name } after { kind name } } }`;
const as = (token: string) => ({ token, province: slug });
const auditRows = (date: string) => owner.prisma.calendarChange.findMany({ where: { tenantId: tenantId(), date: new Date(`${date}T00:00:00Z`) } });

describe('a province admin', () => {
  test('edits a future day, and the audit says who, when, before, after', async () => {
    const date = '2030-03-05'; // a Tuesday
    const startedAt = Date.now();
    const set = await api.gql(SET, { input: { date, kind: 'DAY_OFF', name: 'Nghỉ theo quyết định của UBND tỉnh', reason: 'Quyết định của UBND tỉnh Vĩnh Long' } }, as(provinceAdmin));
    expect(set.errors).toBeUndefined();
    const cleared = await api.gql(CLEAR, { date }, as(provinceAdmin));
    expect(cleared.errors).toBeUndefined();

    const changes = await api.gql(CHANGES, { year: 2030 }, as(provinceAdmin));
    expect(changes.errors).toBeUndefined();
    const forDay = changes.data!.calendarChanges.filter((change: any) => change.date === date);
    expect(forDay).toEqual([
      { date, changedAt: expect.any(String), callerKind: 'official', callerSubject: 'can-bo-quan-tri-vinh-long', reason: null, before: { kind: 'DAY_OFF', name: 'Nghỉ theo quyết định của UBND tỉnh' }, after: null },
      { date, changedAt: expect.any(String), callerKind: 'official', callerSubject: 'can-bo-quan-tri-vinh-long', reason: 'Quyết định của UBND tỉnh Vĩnh Long', before: null, after: { kind: 'DAY_OFF', name: 'Nghỉ theo quyết định của UBND tỉnh' } },
    ]);
    expect(new Date(forDay[1].changedAt).getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
  });

  test('setting a day to what it already is records nothing', async () => {
    const input = { date: '2030-03-06', kind: 'DAY_OFF', name: 'Nghỉ' };
    await api.gql(SET, { input }, as(provinceAdmin));
    await api.gql(SET, { input }, as(provinceAdmin));
    expect(await auditRows(input.date)).toHaveLength(1);
  });

  test.each([
    ['sets', SET, { input: { date: '2025-03-04', kind: 'DAY_OFF', name: 'Nghỉ', reason: 'Nhập bổ sung' } }],
    ['clears', CLEAR, { date: '2025-04-30', reason: 'Nhập nhầm' }],
  ])('%s a past day: refused with a code, nothing changed or recorded', async (_case, mutation, variables) => {
    const date = 'input' in variables ? variables.input.date : variables.date;
    const before = await owner.prisma.calendarDay.findMany({ where: { tenantId: tenantId() }, orderBy: { date: 'asc' } });
    const result = await api.gql(mutation, variables, as(provinceAdmin));
    expect(result.errors?.[0].extensions?.code).toBe('CALENDAR_PAST_DAY_LOCKED');
    expect(result.errors?.[0].message).toMatch(/đã qua.*quản trị viên nền tảng/);
    expect(await owner.prisma.calendarDay.findMany({ where: { tenantId: tenantId() }, orderBy: { date: 'asc' } })).toEqual(before);
    expect(await auditRows(date)).toEqual([]);
  });

  test('only province admins read the audit', async () => {
    const leader = await api.token({ province: tenantId(), roles: ['official', 'leader'] });
    const result = await api.gql(CHANGES, { year: 2030 }, as(leader));
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('a platform admin corrects a past year filled by the old rules', () => {
  beforeAll(async () => {
    // 2024 as the rules filled it before the published days existed: Tết 9–15 Feb instead of 8–14.
    await owner.prisma.calendarDay.deleteMany({ where: { tenantId: tenantId(), date: { gte: new Date('2024-01-01'), lt: new Date('2025-01-01') } } });
    await owner.prisma.calendarYear.upsert({ where: { tenantId_year: { tenantId: tenantId(), year: 2024 } }, create: { tenantId: tenantId(), year: 2024 }, update: {} });
    await owner.prisma.calendarDay.createMany({
      data: holidaysOf(2024).map((day) => ({ tenantId: tenantId(), date: new Date(`${day.date}T00:00:00Z`), kind: day.kind, name: day.name })),
    });
  });

  test('refuses without a reason', async () => {
    const result = await api.gql(SET, { input: { date: '2024-02-08', kind: 'DAY_OFF', name: 'Tết Nguyên đán' } }, as(platformAdmin));
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].extensions?.fieldErrors.map((error: { field: string }) => error.field)).toEqual(['reason']);
    expect(await auditRows('2024-02-08')).toEqual([]);
  });

  test('sets 8 Feb off and returns 15 Feb to work, with the reason, audited', async () => {
    const reason = 'Lịch nghỉ Tết Giáp Thìn 2024 đã công bố: từ 8/2 đến hết 14/2/2024';
    const set = await api.gql(SET, { input: { date: '2024-02-08', kind: 'DAY_OFF', name: 'Tết Nguyên đán', reason } }, as(platformAdmin));
    expect(set.errors).toBeUndefined();
    const cleared = await api.gql(CLEAR, { date: '2024-02-15', reason }, as(platformAdmin));
    expect(cleared.errors).toBeUndefined();
    const days = cleared.data!.clearCalendarDay.days.map((day: any) => day.date);
    expect(days).toContain('2024-02-08');
    expect(days).not.toContain('2024-02-15');

    const changes = await api.gql(CHANGES, { year: 2024 }, as(provinceAdmin));
    expect(changes.data!.calendarChanges).toEqual([
      expect.objectContaining({ callerKind: 'platformAdmin', callerSubject: 'quan-tri-nen-tang-01', reason, before: { kind: 'DAY_OFF', name: 'Nghỉ bù Tết Nguyên đán' }, after: null }),
      expect.objectContaining({ callerKind: 'platformAdmin', callerSubject: 'quan-tri-nen-tang-01', reason, before: null, after: { kind: 'DAY_OFF', name: 'Tết Nguyên đán' } }),
    ]);
  });
});

describe('the audit table', () => {
  test('the API role may read and add rows, never change or remove one', async () => {
    const transaction = await openTransaction(api.database, { tenantId: tenantId(), role: 'app', timeoutMs: 10_000 });
    try {
      const [grants] = await transaction.db.$queryRaw<{ select: boolean; insert: boolean; update: boolean; delete: boolean; truncate: boolean }[]>`
        SELECT has_table_privilege('calendar_change', 'SELECT') AS select, has_table_privilege('calendar_change', 'INSERT') AS insert,
               has_table_privilege('calendar_change', 'UPDATE') AS update, has_table_privilege('calendar_change', 'DELETE') AS delete,
               has_table_privilege('calendar_change', 'TRUNCATE') AS truncate`;
      expect(grants).toEqual({ select: true, insert: true, update: false, delete: false, truncate: false });
      await expect(transaction.db.$executeRaw`UPDATE calendar_change SET reason = 'sửa dấu vết'`).rejects.toThrow(/permission denied|42501/);
    } finally {
      await transaction.rollback();
    }
    const again = await openTransaction(api.database, { tenantId: tenantId(), role: 'app', timeoutMs: 10_000 });
    try {
      await expect(again.db.$executeRaw`DELETE FROM calendar_change`).rejects.toThrow(/permission denied|42501/);
    } finally {
      await again.rollback();
    }
  });
});

describe('a pause on a calendar-day procedure', () => {
  test('a pause of a fraction of a second leaves the due date where it was', async () => {
    const desk = await openDesk(api, slug, 'Sở Tư pháp', 'CALENDAR_DAYS');
    const received = await api.gql(RECEIVE, { input: intake(desk) }, as(desk.clerk));
    expect(received.errors).toBeUndefined();
    const id = received.data!.receiveDossier.dossier.id;
    const move = async (token: string, action: string, extra: Record<string, unknown> = {}) => {
      const result = await api.gql(MOVE, { input: { dossierId: id, action, ...extra } }, as(token));
      expect(result.errors).toBeUndefined();
      return result.data!.moveDossier;
    };
    await move(desk.clerk, 'START_PROCESSING', { assigneeId: desk.handlerId });
    const paused = await move(desk.handler, 'REQUEST_SUPPLEMENT', { note: 'Bổ sung bản sao CCCD có chứng thực' });
    const resumed = await move(desk.clerk, 'RESUME_AFTER_SUPPLEMENT');
    expect(resumed.pausedAt).toBeNull();
    expect(resumed.dueAt).toBe(paused.dueAt);
  });
});
