// Each overdue rule has a pure form and a query form (on-time.ts). The same dossier rows, written into
// one province, are judged by both at one instant: "overdue now" by isOverdueNow and by the Prisma
// filter the work queue uses (overdueNowSql), "overdue under 766" by isOverdueUnder766 and by the SQL
// the statistics use (overdueUnder766Sql). Each row also states what the rule says, so that a change
// to one form alone, or to both, fails here.
import { openPostgres, type Database } from '../src/db/database';
import { inTransaction } from '../src/db/unit-of-work';
import type { Db } from '../src/db/tenant-scope';
import type { Sql } from '../src/db/sql';
import { hashTrackingSecret } from '../src/modules/dossiers/dossier-code';
import { isOpen, type DossierStatus } from '../src/modules/dossiers/lifecycle';
import { isOverdueNow, isOverdueUnder766, judgeFinished, overdueNowSql, overdueUnder766Sql, type OverdueColumns } from '../src/modules/dossiers/on-time';
import { province } from './support/fixtures';

// Local times (UTC+7). The instant: 16:00 on Friday 31 October 2025, the queue's "now" and the
// statistics' judgedAt alike.
const at = (local: string) => new Date(`${local}+07:00`);
const INSTANT = at('2025-10-31T16:00');

interface Row {
  name: string;
  status: DossierStatus;
  dueAt: string | null;
  /** The due date before the extension; the row's dueAt is then the extended one. */
  extendedFrom?: string;
  pausedAt?: string;
  supplementRequests?: number;
  /** Result ready, returned, stopped or refused at. */
  endedAt?: string;
  /** What each rule says at INSTANT; under766 null: ended before it, so the statistics judge it as finished. */
  expect: { now: boolean; under766: boolean | null };
}

const ROWS: Row[] = [
  { name: 'in progress, due on Monday', status: 'IN_PROGRESS', dueAt: '2025-11-03T16:59', expect: { now: false, under766: false } },
  { name: 'in progress, due yesterday', status: 'IN_PROGRESS', dueAt: '2025-10-30T16:59', expect: { now: true, under766: true } },
  { name: 'due at the very instant', status: 'IN_PROGRESS', dueAt: '2025-10-31T16:00', expect: { now: false, under766: false } },
  { name: 'received, not started, due passed', status: 'RECEIVED', dueAt: '2025-10-28T16:59', expect: { now: true, under766: true } },
  { name: 'withdrawal requested, due passed', status: 'WITHDRAWAL_REQUESTED', dueAt: '2025-10-28T16:59', expect: { now: true, under766: true } },
  { name: 'submitted online, not received: no due date', status: 'SUBMITTED', dueAt: null, expect: { now: false, under766: false } },
  // the clock does not run while papers or fees are awaited
  { name: 'paused before its due date, which has passed since', status: 'SUPPLEMENT_REQUESTED', dueAt: '2025-10-29T16:59', pausedAt: '2025-10-27T09:00', supplementRequests: 1, expect: { now: false, under766: false } },
  { name: 'paused at its due instant', status: 'SUPPLEMENT_REQUESTED', dueAt: '2025-10-27T09:00', pausedAt: '2025-10-27T09:00', supplementRequests: 1, expect: { now: false, under766: false } },
  { name: 'paused after its due date', status: 'AWAITING_PAYMENT', dueAt: '2025-10-24T16:59', pausedAt: '2025-10-27T09:00', expect: { now: true, under766: true } },
  { name: 'paused, due next week', status: 'AWAITING_PAYMENT', dueAt: '2025-11-05T16:59', pausedAt: '2025-10-30T14:00', expect: { now: false, under766: false } },
  // a row as it stands today, judged at an earlier instant (the statistics of a past period)
  { name: 'paused after the instant, due before it', status: 'SUPPLEMENT_REQUESTED', dueAt: '2025-10-30T16:59', pausedAt: '2025-11-03T09:00', supplementRequests: 1, expect: { now: true, under766: true } },
  { name: 'paused after the instant, due between', status: 'SUPPLEMENT_REQUESTED', dueAt: '2025-11-01T11:00', pausedAt: '2025-11-03T09:00', supplementRequests: 1, expect: { now: false, under766: false } },
  // the queue answers to the extended date, the index to the original one
  { name: 'extended with an apology, original date passed', status: 'IN_PROGRESS', dueAt: '2025-11-14T16:59', extendedFrom: '2025-10-24T16:59', expect: { now: false, under766: true } },
  { name: 'extended, both dates passed', status: 'IN_PROGRESS', dueAt: '2025-10-30T16:59', extendedFrom: '2025-10-20T16:59', expect: { now: true, under766: true } },
  { name: 'extended, paused before the original date', status: 'SUPPLEMENT_REQUESTED', dueAt: '2025-11-14T16:59', extendedFrom: '2025-10-24T16:59', pausedAt: '2025-10-22T10:00', supplementRequests: 1, expect: { now: false, under766: false } },
  // more than one request for papers counts as late under the index, whatever the dates
  { name: 'one supplement request, within time', status: 'IN_PROGRESS', dueAt: '2025-11-05T16:59', supplementRequests: 1, expect: { now: false, under766: false } },
  { name: 'two supplement requests, within time', status: 'IN_PROGRESS', dueAt: '2025-11-05T16:59', supplementRequests: 2, expect: { now: false, under766: true } },
  { name: 'two supplement requests, paused, within time', status: 'SUPPLEMENT_REQUESTED', dueAt: '2025-11-05T16:59', pausedAt: '2025-10-29T08:30', supplementRequests: 2, expect: { now: false, under766: true } },
  // ended: no longer the agency's work
  { name: 'result ready after the instant, due before it', status: 'RESULT_READY', dueAt: '2025-10-30T16:59', endedAt: '2025-11-03T10:00', expect: { now: false, under766: true } },
  { name: 'result ready late, before the instant', status: 'RESULT_READY', dueAt: '2025-10-24T16:59', endedAt: '2025-10-27T10:00', expect: { now: false, under766: null } },
  { name: 'returned', status: 'RETURNED', dueAt: '2025-10-24T16:59', endedAt: '2025-10-20T10:00', expect: { now: false, under766: null } },
  { name: 'stopped after its due date', status: 'STOPPED', dueAt: '2025-10-24T16:59', endedAt: '2025-10-27T15:00', expect: { now: false, under766: null } },
  { name: 'refused at intake', status: 'REFUSED', dueAt: null, endedAt: '2025-10-21T08:00', expect: { now: false, under766: null } },
];

const tenantId = province('quang-tri').id;
let owner: Database;
let ids: string[];

const columnsOf = (row: Row): OverdueColumns => ({
  status: row.status,
  dueAt: row.dueAt ? at(row.dueAt) : null,
  dueAtBeforeExtension: row.extendedFrom ? at(row.extendedFrom) : null,
  pausedAt: row.pausedAt ? at(row.pausedAt) : null,
  supplementRequests: row.supplementRequests ?? 0,
});

beforeAll(async () => {
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  const performed = await owner.prisma.provinceProcedure.findFirstOrThrow({ where: { tenantId, agency: { kind: 'COMMUNE_COMMITTEE' } }, include: { procedure: true, agency: true } });
  const codeOf = (index: number) => `${performed.agency.code}-251020-${String(8000 + index)}`;
  const created = await owner.prisma.dossier.createManyAndReturn({
    select: { id: true, code: true },
    data: ROWS.map((row, index) => {
      const columns = columnsOf(row);
      const code = codeOf(index);
      const received = columns.dueAt && new Date((columns.dueAtBeforeExtension ?? columns.dueAt).getTime() - 10 * 86_400_000);
      const endedAt = row.endedAt ? at(row.endedAt) : null;
      const stamp = (statuses: DossierStatus[]) => (statuses.includes(row.status) ? endedAt : null);
      return {
        tenantId,
        code,
        secretHash: hashTrackingSecret(code, 'KTQH2025'),
        procedureId: performed.procedureId,
        fieldCode: performed.procedure.fieldCode,
        agencyId: performed.agencyId,
        channel: 'ONLINE' as const,
        open: isOpen(row.status),
        applicantName: 'Nguyễn Thị Thu Hà',
        applicantType: 'CITIZEN' as const,
        applicantIdNumber: '045188001234',
        applicantPhone: '0905123456',
        summary: `Kiểm thử quy tắc quá hạn: ${row.name}`,
        submittedAt: received ?? at('2025-10-30T08:00'),
        receivedAt: received,
        ...columns,
        extensionLetter: row.extendedFrom ? 'Văn bản xin lỗi và hẹn lại ngày trả kết quả số 15/UBND' : null,
        resultReadyAt: stamp(['RESULT_READY']),
        returnedAt: stamp(['RETURNED']),
        stoppedAt: stamp(['STOPPED', 'REFUSED']),
        endedAt,
        outcome: endedAt
          ? judgeFinished({ dueAt: columns.dueAtBeforeExtension ?? columns.dueAt, resultReadyAt: stamp(['RESULT_READY']), returnedAt: stamp(['RETURNED']), stoppedAt: stamp(['STOPPED', 'REFUSED']), supplementRequests: columns.supplementRequests })
          : null,
      };
    }),
  });
  // in the table's order (RETURNING promises none)
  const idOf = new Map(created.map((dossier) => [dossier.code, dossier.id]));
  ids = ROWS.map((_row, index) => idOf.get(codeOf(index))!);
});

afterAll(async () => {
  await owner.prisma.dossier.deleteMany({ where: { tenantId, id: { in: ids } } });
  await owner.close();
});

/** As a request would: the app role, bound to the province by row-level security. */
const asTheApp = <T>(fn: (db: Db, sql: Sql) => Promise<T>) => inTransaction(owner, { tenantId, role: 'app', timeoutMs: 10_000 }, fn);

test('the table covers both answers of each rule', () => {
  for (const rule of ['now', 'under766'] as const) {
    expect(new Set(ROWS.map((row) => row.expect[rule]).filter((value) => value !== null))).toEqual(new Set([true, false]));
  }
});

test('"overdue now": isOverdueNow and the queue filter agree row by row', async () => {
  const matched = await asTheApp((_db, sql) =>
    sql.rows<{ id: string }>(`SELECT d.id::text AS id FROM dossier d WHERE d.id = ANY($1::uuid[]) AND ${overdueNowSql('d', '$2::timestamptz')}`, [ids, INSTANT]),
  );
  const byQuery = new Set(matched.map((dossier) => dossier.id));
  const judged = ROWS.map((row, index) => ({ name: row.name, pure: isOverdueNow(columnsOf(row), INSTANT), query: byQuery.has(ids[index]) }));
  expect(judged).toEqual(ROWS.map((row) => ({ name: row.name, pure: row.expect.now, query: row.expect.now })));
});

test('"overdue under 766": isOverdueUnder766 and the statistics SQL agree row by row', async () => {
  const rows = await asTheApp((db) => db.$queryRaw<{ id: string; overdue: boolean }[]>`
    SELECT id::text AS id, ${overdueUnder766Sql(INSTANT)} AS overdue FROM dossier WHERE id = ANY(${ids}::uuid[])`);
  const byQuery = new Map(rows.map((row) => [row.id, row.overdue]));
  expect(byQuery.size).toBe(ROWS.length);
  const judged = ROWS.map((row, index) => ({ name: row.name, pure: isOverdueUnder766(columnsOf(row), INSTANT), query: byQuery.get(ids[index]) }));
  // Both forms judge every row, even those ended before the instant (which the statistics judge as finished)...
  expect(judged.filter((row) => row.pure !== row.query)).toEqual([]);
  // ...and say what the rule says of those open at it.
  const openAtInstant = (_row: unknown, index: number) => ROWS[index].expect.under766 !== null;
  expect(judged.filter(openAtInstant)).toEqual(ROWS.filter(openAtInstant).map((row) => ({ name: row.name, pure: row.expect.under766, query: row.expect.under766 })));
});
