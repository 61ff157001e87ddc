// The hot reads' own SQL (src/db/select-sql.ts, page-sql.ts) against the Prisma schema and Prisma
// itself: every model's fields map to existing columns by the naming rule; a selection read by SQL
// equals the same selection read by Prisma (types included: dates, decimals, enums, nullable
// relations); paging forward and backward with cursors over an order with ties and nulls gives
// Prisma's order, every row once; a selection SQL does not cover is read through Prisma.
import { openPostgres, type Database } from '../src/db/database';
import { countRows, readPage, type OrderKey, type PlannedQuery } from '../src/db/page-sql';
import { compileSelect, snakeCase } from '../src/db/select-sql';
import type { Sql } from '../src/db/sql';
import type { Db } from '../src/db/tenant-scope';
import { inTransaction } from '../src/db/unit-of-work';
import { getDatamodel } from '../src/generated/pothos-types';
import { Prisma } from '../src/generated/prisma/client';
import { hashTrackingSecret } from '../src/modules/dossiers/dossier-code';
import { province } from './support/fixtures';

const daNang = province('da-nang');
let owner: Database;
let app: Database;
let dossierIds: string[] = [];

const asTheApp = <T>(fn: (db: Db, sql: Sql) => Promise<T>) => inTransaction(app, { tenantId: daNang.id, role: 'app', timeoutMs: 10_000 }, fn);

// Local times (UTC+7): due dates with ties and without a value, for the queue's order.
const at = (local: string) => new Date(`${local}+07:00`);
const DUE = ['2026-03-02T17:00', '2026-03-02T17:00', null, '2026-02-27T10:30', '2026-03-02T17:00', null, '2026-03-05T08:00', '2026-02-27T10:30', null, '2026-03-09T17:00', '2026-03-02T17:00'];
const SUMMARY = 'Kiểm thử truy vấn SQL của hàng đợi';

beforeAll(async () => {
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  app = openPostgres(process.env.TEST_APP_URL!, { poolSize: 2 });
  const performed = await owner.prisma.provinceProcedure.findFirstOrThrow({ where: { tenantId: daNang.id, enabled: true }, include: { procedure: true, agency: true } });
  const codeOf = (index: number) => `${performed.agency.code}-260301-${String(9000 + index).padStart(4, '0')}`;
  await owner.prisma.dossier.createMany({
    data: DUE.map((due, index) => ({
      tenantId: daNang.id,
      code: codeOf(index),
      secretHash: hashTrackingSecret(codeOf(index), 'ABCDEFGH'),
      procedureId: performed.procedureId,
      fieldCode: performed.procedure.fieldCode,
      agencyId: performed.agencyId,
      channel: 'ONLINE' as const,
      status: due ? ('RECEIVED' as const) : ('SUBMITTED' as const),
      open: true,
      applicantName: 'Lê Thị Thu Trang',
      applicantType: 'CITIZEN' as const,
      applicantIdNumber: '048190004321',
      summary: SUMMARY,
      documentsProvided: ['TO_KHAI', 'CCCD'],
      submittedAt: at('2026-02-20T08:00'),
      receivedAt: due ? at('2026-02-20T09:00') : null,
      dueAt: due ? at(due) : null,
    })),
  });
  dossierIds = (await owner.prisma.dossier.findMany({ where: { tenantId: daNang.id, summary: SUMMARY }, select: { id: true } })).map((row) => row.id);
});

afterAll(async () => {
  await owner.prisma.dossier.deleteMany({ where: { tenantId: daNang.id, summary: SUMMARY } });
  await owner.close();
  await app.close();
});

test('every model field is a column of its table by the naming rule', async () => {
  const rows = await owner.prisma.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`;
  const columns = new Set(rows.map((row) => `${row.table_name}.${row.column_name}`));
  const missing = Object.entries(getDatamodel().datamodel.models).flatMap(([model, { fields }]) =>
    fields.filter((field) => field.kind !== 'object').map((field) => `${snakeCase(model)}.${snakeCase(field.name)}`).filter((column) => !columns.has(column)),
  );
  expect(missing).toEqual([]);
});

test('a selection the SQL does not cover compiles to null', () => {
  expect(compileSelect('Official', { id: true, roles: { select: { role: true } } })).toBeNull();
  expect(compileSelect('Official', { id: true, _count: { select: { roles: true } } })).toBeNull();
  expect(compileSelect('Official', { noSuchField: true })).toBeNull();
  expect(compileSelect('Official', { id: true, agency: { select: { code: true } } })).not.toBeNull();
});

const OFFICIAL_SELECT = {
  tenantId: true,
  id: true,
  fullName: true,
  birthDate: true,
  gender: true,
  payCoefficient: true,
  status: true,
  createdAt: true,
  agency: { select: { id: true, code: true, name: true, kind: true, parent: { select: { name: true } } } },
};

const NAME_ORDER: OrderKey[] = [{ field: 'searchName', direction: 'asc' }, { field: 'id', direction: 'asc' }];
const officialSpec = (orderBy: OrderKey[]) => ({ model: 'Official', name: 'test_officials', where: 't0.tenant_id = $1', values: [daNang.id], orderBy });
const loadOfficials = (db: Db) => (ids: string[], selection: Pick<PlannedQuery, 'select' | 'include'>) =>
  db.official.findMany({ ...selection, where: { tenantId: daNang.id, id: { in: ids } } } as { where: { tenantId: string } });

test('a page of officials with their agency and its parent reads as Prisma reads it', async () => {
  const [bySql, byPrisma] = await asTheApp(async (db, sql) => [
    await readPage(sql, { select: OFFICIAL_SELECT, take: 30 }, officialSpec(NAME_ORDER), loadOfficials(db)),
    await db.official.findMany({ select: OFFICIAL_SELECT, where: { tenantId: daNang.id }, orderBy: [{ searchName: 'asc' }, { id: 'asc' }], take: 30 }),
  ]);
  expect(bySql.length).toBeGreaterThan(10);
  expect(bySql).toEqual(byPrisma);
  // the types Prisma gives: a Decimal, Date objects
  expect(bySql.find((row) => row.birthDate !== null)?.birthDate).toBeInstanceOf(Date);
  expect(Prisma.Decimal.isDecimal(bySql.find((row) => row.payCoefficient !== null)?.payCoefficient)).toBe(true);
});

test("a page asked with its count carries it: countRows answers it without a statement, and as a statement would", async () => {
  const spec = { ...officialSpec(NAME_ORDER), withCount: true };
  const unused = () => Promise.reject(new Error('SQL covers this selection'));
  const { carried, sentForCount, counted, emptyStatements } = await asTheApp(async (_db, sql) => {
    const sent: string[] = [];
    const counting: Sql = { rows: (statement, values) => (sent.push(typeof statement === 'string' ? statement : statement.text), sql.rows(statement, values)) };
    await readPage(counting, { select: { id: true, fullName: true }, take: 5 }, spec, unused);
    const before = sent.length;
    const carried = await countRows(counting, spec);
    const sentForCount = sent.length - before;
    await countRows(counting, spec); // taken once: asked again, the database answers
    expect(sent.length - before).toBe(1);
    const counted = await countRows(sql, { ...spec, where: `${spec.where} AND true` }); // another filter text: a statement of its own
    // A page past the end carries nothing: the count is asked for with a statement.
    const none = { ...spec, where: `${spec.where} AND t0.full_name = $${spec.values.length + 1}`, values: [...spec.values, 'Không có ai tên này'] };
    await readPage(counting, { select: { id: true }, take: 5 }, none, unused);
    const beforeEmpty = sent.length;
    expect(await countRows(counting, none)).toBe(0);
    return { carried, sentForCount, counted, emptyStatements: sent.length - beforeEmpty };
  });
  expect(sentForCount).toBe(0);
  expect(carried).toBe(counted);
  expect(carried).toBeGreaterThan(5);
  expect(emptyStatements).toBe(1);
});

/** Every page of `pageSize` forward from the start, then backward from the end, through cursors. */
async function pageThrough(sql: Sql, db: Db, spec: ReturnType<typeof officialSpec>, select: Record<string, unknown>, pageSize: number) {
  const load = (ids: string[], selection: Pick<PlannedQuery, 'select' | 'include'>) =>
    (spec.model === 'Official' ? loadOfficials(db)(ids, selection) : db.dossier.findMany({ ...selection, where: { tenantId: daNang.id, id: { in: ids } } } as { where: { tenantId: string } })) as Promise<{ id: string }[]>;
  const forward: string[] = [];
  let cursor: PlannedQuery['cursor'];
  for (;;) {
    const page = await readPage(sql, { select, take: pageSize, ...(cursor ? { cursor, skip: 1 } : {}) }, spec, load);
    forward.push(...page.map((row) => row.id as string));
    if (page.length < pageSize) break;
    const last = page[page.length - 1];
    cursor = { tenantId_id: { tenantId: daNang.id, id: last.id } };
  }
  const backward: string[] = [];
  cursor = { tenantId_id: { tenantId: daNang.id, id: forward[forward.length - 1] } };
  backward.unshift(forward[forward.length - 1]);
  for (;;) {
    const page = await readPage(sql, { select, take: -pageSize, cursor, skip: 1 }, spec, load);
    backward.unshift(...page.map((row) => row.id as string));
    if (page.length < pageSize) break;
    cursor = { tenantId_id: { tenantId: daNang.id, id: page[0].id } };
  }
  return { forward, backward };
}

test('paging officials by name and by creation, both directions, gives Prisma order, every row once', async () => {
  for (const [orderBy, prismaOrder] of [
    [NAME_ORDER, [{ searchName: 'asc' as const }, { id: 'asc' as const }]],
    [[{ field: 'createdAt', direction: 'desc' }, { field: 'id', direction: 'desc' }] as OrderKey[], [{ createdAt: 'desc' as const }, { id: 'desc' as const }]],
  ] as const) {
    const { expected, pages } = await asTheApp(async (db, sql) => ({
      expected: (await db.official.findMany({ where: { tenantId: daNang.id }, orderBy: [...prismaOrder], select: { id: true } })).map((row) => row.id),
      pages: await pageThrough(sql, db, officialSpec([...orderBy]), { tenantId: true, id: true, fullName: true }, 4),
    }));
    expect(expected.length).toBeGreaterThan(10);
    expect(pages.forward).toEqual(expected);
    expect(pages.backward).toEqual(expected);
  }
});

test('paging the queue order (due date with ties and nulls last) gives Prisma order; a list relation is read through Prisma', async () => {
  const spec = {
    model: 'Dossier',
    where: 't0.tenant_id = $1 AND t0.id = ANY($2::uuid[])',
    values: [daNang.id, dossierIds],
    orderBy: [{ field: 'dueAt', direction: 'asc', nulls: 'last' }, { field: 'id', direction: 'asc' }] as OrderKey[],
  };
  const select = { tenantId: true, id: true, dueAt: true, status: true, documentsProvided: true, procedure: { select: { code: true } }, assignee: { select: { fullName: true } } };
  const { expected, pages, withLog, firstBySql, firstByPrisma } = await asTheApp(async (db, sql) => ({
    firstBySql: await readPage(sql, { select, take: 5 }, spec, () => Promise.reject(new Error('SQL covers this selection'))),
    firstByPrisma: await db.dossier.findMany({ select, where: { tenantId: daNang.id, id: { in: dossierIds } }, orderBy: [{ dueAt: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }], take: 5 }),
    expected: (
      await db.dossier.findMany({ where: { tenantId: daNang.id, id: { in: dossierIds } }, orderBy: [{ dueAt: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }], select: { id: true } })
    ).map((row) => row.id),
    pages: await pageThrough(sql, db, spec as never, { tenantId: true, id: true, dueAt: true, documentsProvided: true, procedure: { select: { code: true } } }, 3),
    withLog: await readPage(sql, { select: { id: true, log: { select: { action: true } } }, take: 4 }, spec, (ids, selection) =>
      db.dossier.findMany({ ...selection, where: { tenantId: daNang.id, id: { in: ids } } } as { where: { tenantId: string } }),
    ),
  }));
  expect(expected).toHaveLength(DUE.length);
  // nobody is assigned: the relation reads null, as Prisma's does
  expect(firstBySql).toEqual(firstByPrisma);
  expect(firstBySql[0].assignee).toBeNull();
  expect(pages.forward).toEqual(expected);
  expect(pages.backward).toEqual(expected);
  expect(withLog.map((row) => row.id)).toEqual(expected.slice(0, 4));
  expect(withLog.every((row) => Array.isArray(row.log))).toBe(true);
});

test('row-level security holds for the SQL as for Prisma: another province sees none of these rows', async () => {
  const quangTri = province('quang-tri');
  const seen = await inTransaction(app, { tenantId: quangTri.id, role: 'app', timeoutMs: 10_000 }, (_db, sql) =>
    sql.rows<{ n: number }>('SELECT count(*)::int AS n FROM dossier WHERE id = ANY($1::uuid[])', [dossierIds]),
  );
  expect(seen[0].n).toBe(0);
});
