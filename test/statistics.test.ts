// dossierStatistics follows the national on-time rule. Dossiers with known times are written into a
// past month of one agency; the figures the API gives must be the ones the rule says.
import { startTestApi, type TestApi } from './support/api';
import { openPostgres, type Database } from '../src/db/database';
import { province } from './support/fixtures';
import { hashTrackingSecret } from '../src/modules/dossiers/dossier-code';
import { judgeFinished } from '../src/modules/dossiers/on-time';

let api: TestApi;
let owner: Database;
let agencyId: string;
let performed: { tenantId: string; agencyId: string; procedureId: string; procedure: { fieldCode: string }; agency: { code: string } };
const slug = 'quang-tri';

// Local times (UTC+7) of March 2026, the period under test.
const at = (local: string) => new Date(`${local}+07:00`);

interface Case {
  name: string;
  channel: 'ONLINE' | 'IN_PERSON';
  receivedAt: string;
  dueAt: string;
  endedAt?: string;
  supplementRequests?: number;
  extendedTo?: string;
  pausedAt?: string;
  /** Where the rule puts it for March 2026. */
  expect: { received: boolean; bucket: 'EARLY' | 'ON_TIME' | 'LATE' | 'OPEN_WITHIN' | 'OPEN_OVERDUE' | null };
}

const CASES: Case[] = [
  { name: 'finished a day early', channel: 'ONLINE', receivedAt: '2026-03-02T09:00', dueAt: '2026-03-05T17:00', endedAt: '2026-03-04T10:00', expect: { received: true, bucket: 'EARLY' } },
  { name: 'finished on the due day', channel: 'IN_PERSON', receivedAt: '2026-03-02T09:00', dueAt: '2026-03-05T16:59', endedAt: '2026-03-05T16:00', expect: { received: true, bucket: 'ON_TIME' } },
  { name: 'finished a day late', channel: 'IN_PERSON', receivedAt: '2026-03-02T09:00', dueAt: '2026-03-05T17:00', endedAt: '2026-03-06T08:00', expect: { received: true, bucket: 'LATE' } },
  { name: 'early but after two supplement requests', channel: 'ONLINE', receivedAt: '2026-03-02T09:00', dueAt: '2026-03-20T17:00', endedAt: '2026-03-10T10:00', supplementRequests: 2, expect: { received: true, bucket: 'LATE' } },
  { name: 'open, due next month', channel: 'ONLINE', receivedAt: '2026-03-20T09:00', dueAt: '2026-04-10T17:00', expect: { received: true, bucket: 'OPEN_WITHIN' } },
  { name: 'open, due passed in the month', channel: 'IN_PERSON', receivedAt: '2026-03-10T09:00', dueAt: '2026-03-25T17:00', expect: { received: true, bucket: 'OPEN_OVERDUE' } },
  { name: 'finished next month, overdue at the end of this one', channel: 'IN_PERSON', receivedAt: '2026-03-10T09:00', dueAt: '2026-03-25T17:00', endedAt: '2026-04-02T09:00', expect: { received: true, bucket: 'OPEN_OVERDUE' } },
  { name: 'received last month, finished on time this month', channel: 'ONLINE', receivedAt: '2026-02-20T09:00', dueAt: '2026-03-03T17:00', endedAt: '2026-03-03T15:00', expect: { received: false, bucket: 'ON_TIME' } },
  { name: 'extended with an apology: judged on the original date', channel: 'ONLINE', receivedAt: '2026-03-15T09:00', dueAt: '2026-03-20T17:00', extendedTo: '2026-04-15T17:00', expect: { received: true, bucket: 'OPEN_OVERDUE' } },
  { name: 'paused before its due date', channel: 'ONLINE', receivedAt: '2026-03-28T09:00', dueAt: '2026-03-30T17:00', pausedAt: '2026-03-29T10:00', expect: { received: true, bucket: 'OPEN_WITHIN' } },
  { name: 'received next month', channel: 'ONLINE', receivedAt: '2026-04-01T08:00', dueAt: '2026-04-03T17:00', expect: { received: false, bucket: null } },
];

beforeAll(async () => {
  api = await startTestApi();
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  const tenantId = province(slug).id;
  performed = await owner.prisma.provinceProcedure.findFirstOrThrow({ where: { tenantId, agency: { kind: 'COMMUNE_COMMITTEE' } }, include: { procedure: true, agency: true } });
  agencyId = performed.agencyId;
  await owner.prisma.dossier.createMany({
    data: CASES.map((row, index) => {
      const code = `${performed.agency.code}-${row.receivedAt.slice(2, 10).replaceAll('-', '')}-${String(9000 + index)}`;
      const dueAt = at(row.dueAt);
      const endedAt = row.endedAt ? at(row.endedAt) : null;
      return {
        tenantId,
        code,
        secretHash: hashTrackingSecret(code, 'ABCDEFGH'),
        procedureId: performed.procedureId,
        fieldCode: performed.procedure.fieldCode,
        agencyId,
        channel: row.channel,
        status: endedAt ? 'RETURNED' : row.pausedAt ? 'SUPPLEMENT_REQUESTED' : 'IN_PROGRESS',
        open: !endedAt,
        applicantName: 'Hồ Thị Mỹ Duyên',
        applicantType: 'CITIZEN',
        applicantIdNumber: '045190004321',
        applicantPhone: '0912345678',
        summary: `Trường hợp kiểm thử: ${row.name}`,
        submittedAt: at(row.receivedAt),
        receivedAt: at(row.receivedAt),
        dueAt: row.extendedTo ? at(row.extendedTo) : dueAt,
        dueAtBeforeExtension: row.extendedTo ? dueAt : null,
        pausedAt: row.pausedAt ? at(row.pausedAt) : null,
        supplementRequests: row.supplementRequests ?? 0,
        resultReadyAt: endedAt,
        returnedAt: endedAt,
        endedAt,
        // What the service stores when a dossier ends: the rule's verdict.
        outcome: endedAt ? judgeFinished({ dueAt, resultReadyAt: endedAt, returnedAt: endedAt, stoppedAt: null, supplementRequests: row.supplementRequests ?? 0 }) : null,
      };
    }),
  });
});

afterAll(async () => {
  await api.close();
  await owner.close();
});

const STATS = `query($period: PeriodInput!, $groupBy: StatisticsGroup) {
  dossierStatistics(period: $period, groupBy: $groupBy) {
    periodLabel judgedAt
    rows { key label received receivedOnline finishedEarly finishedOnTime finishedLate openWithinTime openOverdue onlineShare onTimeRate indicators { indicator value base suppressed } }
    total { received finishedEarly finishedOnTime finishedLate openWithinTime openOverdue onTimeRate }
  }
}`;

async function statistics(period: Record<string, number>, groupBy = 'AGENCY') {
  const token = await api.token({ province: province(slug).id, roles: ['official', 'leader'] });
  return api.gql(STATS, { period, groupBy }, { token, province: slug });
}

const count = (predicate: (row: Case) => boolean) => CASES.filter(predicate).length;

test('March 2026 by agency follows the on-time rule case by case', async () => {
  const result = await statistics({ year: 2026, month: 3 });
  expect(result.errors).toBeUndefined();
  const stats = result.data!.dossierStatistics;
  expect(stats.periodLabel).toBe('03/2026');
  expect(stats.judgedAt).toBe('2026-03-31T17:00:00.000Z');
  const row = stats.rows.find((candidate: { key: string }) => candidate.key === agencyId);
  const bucket = (name: string) => count((row) => row.expect.bucket === name);
  expect(row).toMatchObject({
    received: count((row) => row.expect.received),
    receivedOnline: count((row) => row.expect.received && row.channel === 'ONLINE'),
    finishedEarly: bucket('EARLY'),
    finishedOnTime: bucket('ON_TIME'),
    finishedLate: bucket('LATE'),
    openWithinTime: bucket('OPEN_WITHIN'),
    openOverdue: bucket('OPEN_OVERDUE'),
  });
  // The same figures written out, so that a change to CASES cannot hide a change of rule.
  expect([row.received, row.finishedEarly, row.finishedOnTime, row.finishedLate, row.openWithinTime, row.openOverdue]).toEqual([9, 1, 2, 2, 2, 3]);
  expect(row.onTimeRate).toBeCloseTo(3 / 5);
  expect(row.onlineShare).toBeCloseTo(5 / 9);
  // Every indicator of Decision 766 beside them, the province's own (nothing withheld under five).
  const indicator = (name: string) => row.indicators.find((value: { indicator: string }) => value.indicator === name);
  expect(row.indicators.map((value: { indicator: string }) => value.indicator)).toEqual(['ON_TIME_RATE', 'EARLY_RATE', 'ONLINE_SHARE', 'RETURNED_ELECTRONICALLY', 'PAID_ONLINE', 'DIGITISED', 'IDENTITY_VERIFIED', 'PORTAL_SYNC', 'SATISFACTION']);
  expect(indicator('EARLY_RATE')).toEqual({ indicator: 'EARLY_RATE', value: 1 / 5, base: 5, suppressed: false });
  expect(indicator('ONLINE_SHARE')).toEqual({ indicator: 'ONLINE_SHARE', value: 5 / 9, base: 9, suppressed: false });
  // The cases were written as returned, at the counter (no method recorded), none paid or rated.
  expect(indicator('RETURNED_ELECTRONICALLY')).toMatchObject({ value: 0, base: 5 });
  expect(indicator('SATISFACTION')).toMatchObject({ value: null, base: 0 });
  expect(row.label).toMatch(/^Ủy ban nhân dân/);
});

test('the first quarter holds March and nothing from April', async () => {
  const result = await statistics({ year: 2026, quarter: 1 });
  const row = result.data!.dossierStatistics.rows.find((candidate: { key: string }) => candidate.key === agencyId);
  expect(row.received).toBe(10); // March's nine and the one of February
  expect(row.finishedOnTime + row.finishedEarly + row.finishedLate).toBe(5);
});

test('by channel', async () => {
  const result = await statistics({ year: 2026, month: 3 }, 'CHANNEL');
  const labels = Object.fromEntries(result.data!.dossierStatistics.rows.map((row: { label: string; received: number }) => [row.label, row.received]));
  expect(labels).toMatchObject({ 'Trực tuyến': 5, 'Trực tiếp': 4 });
});

test.each([
  [{ year: 2026, month: 13 }, 'period.month'],
  [{ year: 2026, month: 3, quarter: 1 }, 'period'],
  [{ year: 1999 }, 'period.year'],
  [{ year: 2099 }, 'period'],
])('rejects the period %j', async (period, field) => {
  const result = await statistics(period);
  expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(result.errors?.[0].extensions?.fieldErrors.map((error: { field: string }) => error.field)).toContain(field);
});

test('citizens and anonymous callers get no statistics', async () => {
  const citizen = await api.token({ province: province(slug).id, roles: ['citizen'], sub: 'vneid-1' });
  const asCitizen = await api.gql(STATS, { period: { year: 2026, month: 3 } }, { token: citizen, province: slug });
  expect(asCitizen.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const anonymous = await api.gql(STATS, { period: { year: 2026, month: 3 } }, { province: slug });
  expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
});

describe('a running period', () => {
  const thisMonth = () => {
    const local = new Date(Date.now() + 7 * 3_600_000);
    return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1 };
  };
  /** A dossier received a minute ago, written behind the API's back. */
  const receiveBehindTheApi = () => {
    const receivedAt = new Date(Date.now() - 60_000);
    const local = new Date(receivedAt.getTime() + 7 * 3_600_000).toISOString();
    const code = `${performed.agency.code}-${local.slice(2, 10).replaceAll('-', '')}-9500`;
    return owner.prisma.dossier.create({
      data: {
        tenantId: performed.tenantId, code, secretHash: hashTrackingSecret(code, 'ABCDEFGH'), procedureId: performed.procedureId,
        fieldCode: performed.procedure.fieldCode, agencyId, channel: 'ONLINE', status: 'IN_PROGRESS', open: true,
        applicantName: 'Lâm Văn Tuấn', applicantType: 'CITIZEN', summary: 'Hồ sơ nhận trong kỳ đang chạy',
        submittedAt: receivedAt, receivedAt, dueAt: new Date(receivedAt.getTime() + 3 * 86_400_000),
      },
    });
  };

  test('counts a dossier received a moment ago at once: the roll-ups are written with it', async () => {
    const first = (await statistics(thisMonth())).data!.dossierStatistics;
    await receiveBehindTheApi();
    const again = (await statistics(thisMonth())).data!.dossierStatistics;
    expect(again.total.received).toBe(first.total.received + 1);
    expect(again.total.openWithinTime).toBe(first.total.openWithinTime + 1);
    expect(new Date(again.judgedAt).getTime()).toBeGreaterThan(new Date(first.judgedAt).getTime());
  });
});
