// The roll-ups never drift from the dossiers. Random histories of dossiers, driven through the API on
// a clock that walks from June 2025 to January 2026 (across month ends, the 2025 reorganisation's
// 1 July and the new year): intake online and at the counter, refusals, supplements (pauses),
// payments, extensions, withdrawals, early and late ends, returns and ratings. After each history the
// change in the roll-ups (daily and monthly, as the triggers wrote them) must equal the change in the
// same figures recomputed here from the dossier rows with the pure on-time rule.
// The backfill rebuilds what the triggers wrote, row for row, and a second run changes nothing.
import fc from 'fast-check';
import { startTestApi, type TestApi } from './support/api';
import { openPostgres, type Database } from '../src/db/database';
import { openTransaction } from '../src/db/unit-of-work';
import { openDesk, intake, applicant, MOVE, RECEIVE, decodeId, type Desk } from './support/dossier-fixtures';
import { province } from './support/fixtures';
import { judgeFinished } from '../src/modules/dossiers/on-time';
import { localDateOf } from '../src/kernel/vietnam-time';
import { FIGURES, figureColumn, type Figure } from '../src/modules/indicators/figures';
import { backfillRollUps } from '../src/modules/indicators/backfill';

let api: TestApi;
let owner: Database;
let desks: Desk[];
let now = new Date('2025-06-20T08:00:00+07:00');
const HOUR = 3_600_000;

beforeAll(async () => {
  api = await startTestApi({}, { clock: () => now });
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  desks = [await openDesk(api, 'can-tho', 'Sở Tư pháp'), await openDesk(api, 'da-nang', 'Sở Tư pháp')];
});

afterAll(async () => {
  await api.close();
  await owner.close();
});

// ---------------------------------------------------------------- the figures, recomputed here

type Totals = Map<string, Record<Figure, number>>;

function add(totals: Totals, key: string, figure: Figure, amount: number) {
  if (!amount) return;
  let row = totals.get(key);
  if (!row) totals.set(key, (row = Object.fromEntries(FIGURES.map((name) => [name, 0])) as Record<Figure, number>));
  row[figure] += amount;
}

/** Every figure of every dossier, by day and by month, from the rows and the pure rule; not from `outcome`. */
async function recomputed(): Promise<{ daily: Totals; monthly: Totals }> {
  const dossiers = await owner.prisma.dossier.findMany();
  const records = await owner.prisma.portalSyncRecord.findMany({ select: { tenantId: true, dossierId: true, createdAt: true, state: true } });
  const daily: Totals = new Map();
  const monthly: Totals = new Map();
  const byId = new Map(dossiers.map((dossier) => [dossier.id, dossier]));
  const count = (dossier: (typeof dossiers)[number], at: Date, figure: Figure, amount = 1) => {
    const day = localDateOf(at);
    const group = `${dossier.agencyId}|${dossier.procedureId}|${dossier.channel}`;
    add(daily, `${dossier.tenantId}|${day}|${group}`, figure, amount);
    add(monthly, `${dossier.tenantId}|${day.slice(0, 7)}-01|${group}`, figure, amount);
  };
  for (const d of dossiers) {
    if (d.receivedAt) {
      count(d, d.receivedAt, 'received');
      if (d.channel === 'ONLINE') count(d, d.receivedAt, 'receivedOnline');
      if (d.identityVerified) count(d, d.receivedAt, 'identityVerified');
      if (d.digitisedComponents > 0) count(d, d.receivedAt, 'digitised');
    }
    if (d.endedAt && d.receivedAt) {
      const outcome = judgeFinished({ dueAt: d.dueAtBeforeExtension ?? d.dueAt, resultReadyAt: d.resultReadyAt, returnedAt: d.returnedAt, stoppedAt: d.stoppedAt, supplementRequests: d.supplementRequests });
      count(d, d.endedAt, outcome === 'EARLY' ? 'finishedEarly' : outcome === 'ON_TIME' ? 'finishedOnTime' : 'finishedLate');
    }
    if (d.paidAt) {
      count(d, d.paidAt, 'paid');
      if (d.paymentMethod === 'ONLINE') count(d, d.paidAt, 'paidOnline');
    }
    if (d.returnedAt) {
      count(d, d.returnedAt, 'returned');
      if (d.resultReturn === 'ELECTRONIC') count(d, d.returnedAt, 'returnedElectronically');
    }
    if (d.ratedAt && d.rating) {
      count(d, d.ratedAt, 'rated');
      count(d, d.ratedAt, 'ratingSum', d.rating);
    }
  }
  for (const record of records) {
    const dossier = byId.get(record.dossierId)!;
    count(dossier, record.createdAt, 'portalChanges');
    if (record.state === 'ACKNOWLEDGED') count(dossier, record.createdAt, 'portalAcknowledged');
  }
  return { daily, monthly };
}

/** The roll-up tables as they stand. */
async function rolledUp(): Promise<{ daily: Totals; monthly: Totals }> {
  const read = async (table: string, period: string) => {
    const rows = await owner.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT tenant_id::text AS tenant, to_char(${period}, 'YYYY-MM-DD') AS period, agency_id::text AS agency, procedure_id::text AS procedure, channel::text AS channel,
              ${FIGURES.map((figure) => `${figureColumn(figure)} AS "${figure}"`).join(', ')} FROM ${table}`,
    );
    const totals: Totals = new Map();
    for (const row of rows) for (const figure of FIGURES) add(totals, `${row.tenant}|${row.period}|${row.agency}|${row.procedure}|${row.channel}`, figure, Number(row[figure]));
    return totals;
  };
  return { daily: await read('dossier_daily_figure', 'day'), monthly: await read('dossier_monthly_figure', 'month') };
}

/** after − before, without the zero rows. */
function change(before: Totals, after: Totals): Record<string, Partial<Record<Figure, number>>> {
  const keys = new Set([...before.keys(), ...after.keys()]);
  const result: Record<string, Partial<Record<Figure, number>>> = {};
  for (const key of keys) {
    for (const figure of FIGURES) {
      const delta = (after.get(key)?.[figure] ?? 0) - (before.get(key)?.[figure] ?? 0);
      if (delta) (result[key] ??= {})[figure] = delta;
    }
  }
  return result;
}

// ---------------------------------------------------------------- random histories, through the API

interface Plan {
  desk: number;
  online: boolean;
  refused: boolean;
  startHours: number;
  gaps: number[];
  supplements: number;
  payment: 'ONLINE' | 'AT_COUNTER' | null;
  extended: boolean;
  end: 'RETURN' | 'READY' | 'WITHDRAWN' | 'OPEN';
  returnMethod: 'AT_COUNTER' | 'POSTAL' | 'ELECTRONIC';
  rating: number | null;
}

const plan: fc.Arbitrary<Plan> = fc.record({
  desk: fc.integer({ min: 0, max: 1 }),
  online: fc.boolean(),
  refused: fc.boolean(),
  // 20 June 2025 to mid-December: the histories run into January 2026.
  startHours: fc.integer({ min: 0, max: 178 * 24 }),
  // from an hour to three weeks between moves: some end early, some late
  gaps: fc.array(fc.integer({ min: 1, max: 21 * 24 }), { minLength: 16, maxLength: 16 }),
  supplements: fc.integer({ min: 0, max: 2 }),
  payment: fc.constantFrom('ONLINE' as const, 'AT_COUNTER' as const, null),
  extended: fc.boolean(),
  end: fc.constantFrom('RETURN' as const, 'READY' as const, 'WITHDRAWN' as const, 'OPEN' as const),
  returnMethod: fc.constantFrom('AT_COUNTER' as const, 'POSTAL' as const, 'ELECTRONIC' as const),
  rating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
});

interface Step {
  at: Date;
  run: () => Promise<void>;
}

const START = new Date('2025-06-20T08:00:00+07:00').getTime();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function check(result: { errors?: { message: string }[]; data?: any }, what: string): any {
  if (result.errors?.length) throw new Error(`${what}: ${JSON.stringify(result.errors)}`);
  return result.data!;
}

/** The steps of one dossier's history, each at its own instant; later steps use what earlier ones learnt. */
function stepsOf(p: Plan): Step[] {
  const desk = desks[p.desk];
  const state = { id: '', code: '', secret: '', dueAt: '' };
  const as = (token: string) => ({ token, province: desk.slug });
  const move = async (token: string, action: string, extra: Record<string, unknown> = {}) => {
    const data = check(await api.gql(MOVE, { input: { dossierId: state.id, action, ...extra } }, as(token)), action);
    state.dueAt = data.moveDossier.dueAt;
  };
  const steps: Step[] = [];
  let at = START + p.startHours * HOUR;
  let gap = 0;
  const then = (run: () => Promise<void>) => {
    steps.push({ at: new Date(at), run });
    at += p.gaps[gap++ % p.gaps.length] * HOUR;
  };
  if (p.online) {
    then(async () => {
      const citizen = await api.token({ province: province(desk.slug).id, roles: ['citizen'], sub: `vneid-${Math.random().toString(36).slice(2)}` });
      const { documentsProvided, procedureCode, agencyId, summary } = intake(desk);
      const data = check(await api.gql(`mutation($input: SubmitDossierInput!) { submitDossier(input: $input) { code secret dossier { id } } }`, { input: { documentsProvided, procedureCode, agencyId, summary, applicant: applicant() } }, { token: citizen, province: desk.slug }), 'submit');
      Object.assign(state, { id: data.submitDossier.dossier.id, code: data.submitDossier.code, secret: data.submitDossier.secret });
    });
    if (p.refused) {
      then(() => move(desk.clerk, 'REFUSE', { note: 'Hồ sơ không đúng thẩm quyền giải quyết' }));
      return steps;
    }
    then(() => move(desk.clerk, 'RECEIVE'));
  } else {
    then(async () => {
      const data = check(await api.gql(RECEIVE, { input: intake(desk) }, as(desk.clerk)), 'receive');
      Object.assign(state, { id: data.receiveDossier.dossier.id, code: data.receiveDossier.code, secret: data.receiveDossier.secret, dueAt: data.receiveDossier.dossier.dueAt });
    });
  }
  then(() => move(desk.clerk, 'START_PROCESSING', { assigneeId: desk.handlerId }));
  for (let i = 0; i < p.supplements; i++) {
    then(() => move(desk.handler, 'REQUEST_SUPPLEMENT', { note: 'Bổ sung bản sao giấy khai sinh có chứng thực' }));
    then(() => move(desk.clerk, 'RESUME_AFTER_SUPPLEMENT'));
  }
  if (p.payment) {
    const method = p.payment;
    then(() => move(desk.handler, 'REQUEST_PAYMENT', { note: 'Nộp lệ phí cấp phiếu lý lịch tư pháp' }));
    then(() => move(desk.clerk, 'CONFIRM_PAYMENT', { payment: { method, receiptNumber: `BL-${Math.floor(Math.random() * 1e6)}` } }));
  }
  if (p.extended) {
    then(async () => {
      const newDueAt = new Date(Math.max(new Date(state.dueAt).getTime(), now.getTime()) + 10 * 24 * HOUR);
      check(
        await api.gql(
          `mutation($input: ExtendDossierInput!) { extendDossierDeadline(input: $input) { dueAt } }`,
          { input: { dossierId: state.id, newDueAt, apologyLetter: '125/TB-STP', reason: 'Cần xác minh thêm tại nơi cư trú' } },
          as(desk.leader),
        ),
        'extend',
      );
    });
  }
  if (p.end === 'WITHDRAWN') {
    then(() => move(desk.clerk, 'REQUEST_WITHDRAWAL', { note: 'Công dân xin rút hồ sơ' }));
    then(() => move(desk.leader, 'STOP', { note: 'Dừng xử lý theo đề nghị rút hồ sơ' }));
  }
  if (p.end === 'READY' || p.end === 'RETURN') then(() => move(desk.handler, 'FINISH'));
  if (p.end === 'RETURN') {
    then(() => move(desk.clerk, 'RETURN_RESULT', { returnMethod: p.returnMethod }));
    const rating = p.rating;
    if (rating) {
      then(async () => {
        check(
          await api.gql(`mutation($input: RateDossierInput!) { rateDossier(input: $input) { code } }`, { input: { code: state.code, secret: state.secret, rating, comment: 'Cán bộ hướng dẫn tận tình' } }, { province: desk.slug }),
          'rate',
        );
      });
    }
  }
  return steps;
}

async function live(plans: Plan[]) {
  const steps = plans.flatMap(stepsOf).sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const step of steps) {
    now = step.at;
    await step.run();
  }
}

test('random histories: the roll-ups change exactly as the figures recomputed from the dossiers', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(plan, { minLength: 1, maxLength: 4 }), async (plans) => {
      const [rollBefore, recomputedBefore] = [await rolledUp(), await recomputed()];
      await live(plans);
      const [rollAfter, recomputedAfter] = [await rolledUp(), await recomputed()];
      const expected = change(recomputedBefore.daily, recomputedAfter.daily);
      expect(Object.keys(expected).length).toBeGreaterThan(0);
      expect(change(rollBefore.daily, rollAfter.daily)).toEqual(expected);
      expect(change(rollBefore.monthly, rollAfter.monthly)).toEqual(change(recomputedBefore.monthly, recomputedAfter.monthly));
    }),
    { numRuns: 12, seed: Number(process.env.ROLL_UPS_SEED ?? Date.now() % 100_000), endOnFailure: true },
  );
}, 300_000);

test('a dossier from before the indicators (no payment method, no return method) rolls up, and is rolled up again when it changes', async () => {
  const desk = desks[1];
  const tenantId = province(desk.slug).id;
  const agencyId = decodeId(desk.agencyId);
  const performed = await owner.prisma.provinceProcedure.findFirstOrThrow({ where: { tenantId, agencyId }, include: { procedure: true } });
  const at = (local: string) => new Date(`${local}+07:00`);
  const [before, recomputedBefore] = [await rolledUp(), await recomputed()];
  const dossier = await owner.prisma.dossier.create({
    data: {
      tenantId, code: `${desk.agencyCode}-250303-8801`, secretHash: 'x', procedureId: performed.procedureId, fieldCode: performed.procedure.fieldCode, agencyId,
      channel: 'POSTAL', status: 'RETURNED', open: false, applicantName: 'Kiều Văn Tám', applicantType: 'CITIZEN', summary: 'Hồ sơ của hệ thống cũ',
      submittedAt: at('2025-03-03T09:00'), receivedAt: at('2025-03-03T09:00'), dueAt: at('2025-03-14T17:00'),
      paid: true, paidAt: at('2025-03-05T10:00'), resultReadyAt: at('2025-03-10T15:00'), endedAt: at('2025-03-10T15:00'), outcome: 'EARLY', returnedAt: at('2025-04-02T08:00'),
    },
  });
  await owner.prisma.dossier.update({ where: { tenantId_id: { tenantId, id: dossier.id } }, data: { rating: 4, ratedAt: at('2025-04-03T08:00') } });
  const [after, recomputedAfter] = [await rolledUp(), await recomputed()];
  const expected = change(recomputedBefore.daily, recomputedAfter.daily);
  expect(Object.keys(expected)).toHaveLength(5); // received, paid, finished, returned, rated: five days
  expect(change(before.daily, after.daily)).toEqual(expected);
  expect(change(before.monthly, after.monthly)).toEqual(change(recomputedBefore.monthly, recomputedAfter.monthly));
});

test('two writers of one group never deadlock: a job acknowledging changes of two days, and a move on the second day', async () => {
  // What deadlocked before the group lock: the job held day 1's row and the month's, the move took
  // day 2's row and waited for the month's, the job then waited for day 2's.
  const desk = desks[0];
  const tenantId = province(desk.slug).id;
  const agencyId = decodeId(desk.agencyId);
  const performed = await owner.prisma.provinceProcedure.findFirstOrThrow({ where: { tenantId, agencyId }, include: { procedure: true } });
  const at = (local: string) => new Date(`${local}+07:00`);
  const base = {
    tenantId, secretHash: 'x', procedureId: performed.procedureId, fieldCode: performed.procedure.fieldCode, agencyId, channel: 'IN_PERSON' as const,
    applicantName: 'Quách Thị Ngọc Hân', applicantType: 'CITIZEN' as const, summary: 'Hồ sơ thử hai giao dịch cùng nhóm', dueAt: at('2024-05-20T17:00'),
  };
  const sent = await owner.prisma.dossier.create({ data: { ...base, code: `${desk.agencyCode}-240502-8901`, status: 'IN_PROGRESS', submittedAt: at('2024-05-02T08:00'), receivedAt: at('2024-05-02T08:00') } });
  const moving = await owner.prisma.dossier.create({ data: { ...base, code: `${desk.agencyCode}-240502-8902`, status: 'IN_PROGRESS', submittedAt: at('2024-05-02T09:00'), receivedAt: at('2024-05-02T09:00') } });
  const record = (day: string) =>
    owner.prisma.portalSyncRecord.create({ data: { tenantId, dossierId: sent.id, dossierCode: sent.code, payload: {}, createdAt: at(`2024-05-${day}T10:00`) } });
  const [first, second] = [await record('02'), await record('09')];
  const scope = { tenantId, role: 'app' as const, timeoutMs: 20_000 };
  const job = await openTransaction(api.database, scope);
  const move = await openTransaction(api.database, scope);
  const acknowledge = (id: string) => job.sql.rows(`UPDATE portal_sync_record SET state = 'ACKNOWLEDGED' WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  await acknowledge(first.id);
  const moved = move.sql
    .rows(`UPDATE dossier SET status = 'RESULT_READY', result_ready_at = $3, ended_at = $3, outcome = 'EARLY' WHERE tenant_id = $1 AND id = $2`, [tenantId, moving.id, at('2024-05-09T15:00')])
    .then(() => move.commit());
  await new Promise((resolve) => setTimeout(resolve, 300));
  await acknowledge(second.id);
  await job.commit();
  await moved;
  const [row] = await owner.prisma.$queryRaw<{ finished_early: number; portal_acknowledged: number }[]>`
    SELECT sum(finished_early)::int AS finished_early, sum(portal_acknowledged)::int AS portal_acknowledged FROM dossier_monthly_figure
    WHERE tenant_id = ${tenantId}::uuid AND month = '2024-05-01' AND agency_id = ${agencyId}::uuid AND procedure_id = ${performed.procedureId}::uuid AND channel = 'IN_PERSON'`;
  expect(row).toEqual({ finished_early: 1, portal_acknowledged: 2 });
});

test('the backfill rebuilds what the triggers wrote, row for row, and running it again changes nothing', async () => {
  const tenantIds = ['can-tho', 'da-nang'].map((slug) => province(slug).id);
  const before = await rolledUp();
  const first = await backfillRollUps(owner, tenantIds, { again: true });
  expect(first.rebuilt).toEqual(tenantIds);
  const rebuilt = await rolledUp();
  const within = (totals: Totals) => new Map([...totals].filter(([key]) => tenantIds.some((id) => key.startsWith(id))));
  expect(within(rebuilt.daily)).toEqual(within(before.daily));
  expect(within(rebuilt.monthly)).toEqual(within(before.monthly));
  // Resumable: what is done is skipped unless asked again.
  const second = await backfillRollUps(owner, tenantIds);
  expect(second).toEqual({ rebuilt: [], skipped: tenantIds });
  expect((await rolledUp()).monthly).toEqual(rebuilt.monthly);
});

test('a backfill repairs roll-ups that were wiped', async () => {
  const tenantId = province('da-nang').id;
  const before = await rolledUp();
  await owner.prisma.$executeRawUnsafe(`DELETE FROM dossier_monthly_figure WHERE tenant_id = '${tenantId}'`);
  expect([...(await rolledUp()).monthly.keys()].some((key) => key.startsWith(tenantId))).toBe(false);
  await backfillRollUps(owner, [tenantId], { again: true });
  expect((await rolledUp()).monthly).toEqual(before.monthly);
});

test('the decoded ids of the desks are real agencies', () => {
  expect(desks.every((desk) => decodeId(desk.agencyId).length === 36)).toBe(true);
});
