// Ministries read indicators across provinces from the roll-ups, never personal data: the database
// role their transactions run as cannot read a dossier, an applicant or an official; grants decide
// which provinces and fields; small cells are withheld; every read is logged.
import { startTestApi, type TestApi } from './support/api';
import { openPostgres, type Database } from '../src/db/database';
import { openTransaction } from '../src/db/unit-of-work';
import { province } from './support/fixtures';
import { edgeId } from './support/dossier-fixtures';
import { runScript } from './support/run-script';
import { hashTrackingSecret } from '../src/modules/dossiers/dossier-code';
import { judgeFinished } from '../src/modules/dossiers/on-time';
import { localDateOf } from '../src/kernel/vietnam-time';
import { withSecondarySuppression } from '../src/modules/indicators/figures';

let api: TestApi;
let owner: Database;
let vpcp: string;
let btp: string;

const NATIONAL = `query($period: PeriodInput!, $groupBy: NationalGroup, $view: ProvinceView, $indicators: [Indicator!], $filter: NationalIndicatorFilter) {
  nationalIndicators(period: $period, groupBy: $groupBy, provinceView: $view, indicators: $indicators, filter: $filter) {
    periodLabel groupBy provinceView indicators minimumCell
    provinces { slug }
    rows { key label province { slug name } values { indicator value base suppressed } }
    total { values { indicator value base suppressed } }
  }
}`;

const national = (token: string, variables: Record<string, unknown>) => api.gql(NATIONAL, variables, { token });

let sequence = 0;
/** Dossiers written as the owner, as a migration of earlier years' data would: the triggers roll them up. */
async function historicDossiers(slug: string, procedureCode: string, rows: { receivedAt: string; channel: 'ONLINE' | 'IN_PERSON'; endedAt?: string; dueAt: string }[]) {
  const tenantId = province(slug).id;
  const procedure = await owner.prisma.procedure.findFirstOrThrow({ where: { code: procedureCode } });
  const agency = await owner.prisma.agency.findFirstOrThrow({ where: { tenantId }, orderBy: { code: 'asc' } });
  await owner.prisma.dossier.createMany({
    data: rows.map((row) => {
      const receivedAt = new Date(`${row.receivedAt}+07:00`);
      const dueAt = new Date(`${row.dueAt}+07:00`);
      const endedAt = row.endedAt ? new Date(`${row.endedAt}+07:00`) : null;
      const code = `${agency.code}-${localDateOf(receivedAt).slice(2).replaceAll('-', '')}-${String(7000 + sequence++)}`;
      return {
        tenantId,
        code,
        secretHash: hashTrackingSecret(code, 'ABCDEFGH'),
        procedureId: procedure.id,
        fieldCode: procedure.fieldCode,
        agencyId: agency.id,
        channel: row.channel,
        status: endedAt ? 'RETURNED' : 'IN_PROGRESS',
        open: !endedAt,
        applicantName: 'Thạch Thị Sa Rên',
        applicantType: 'CITIZEN',
        applicantIdNumber: '094190001234',
        summary: 'Hồ sơ của năm trước, chuyển từ hệ thống cũ',
        submittedAt: receivedAt,
        receivedAt,
        dueAt,
        resultReadyAt: endedAt,
        returnedAt: endedAt,
        endedAt,
        outcome: endedAt ? judgeFinished({ dueAt, resultReadyAt: endedAt, returnedAt: endedAt, stoppedAt: null, supplementRequests: 0 }) : null,
      } as const;
    }),
  });
}

const PROCEDURE = '2.000488'; // Cấp Phiếu lý lịch tư pháp (field LY_LICH_TU_PHAP)

beforeAll(async () => {
  api = await startTestApi();
  owner = openPostgres(process.env.TEST_OWNER_URL!, { poolSize: 2 });
  vpcp = await api.token({ roles: ['ministry'], sub: 'VPCP' });
  btp = await api.token({ roles: ['ministry'], sub: 'BTP' });
  // February 2024: 3 dossiers in Quảng Trị (a small cell), 7 in Vĩnh Long, 6 in Đà Nẵng.
  await historicDossiers('quang-tri', PROCEDURE, [1, 2, 3].map((day) => ({ receivedAt: `2024-02-0${day}T09:00`, channel: 'ONLINE', dueAt: `2024-02-1${day}T17:00`, endedAt: `2024-02-0${day + 3}T10:00` })));
  await historicDossiers(
    'vinh-long',
    PROCEDURE,
    [1, 2, 3, 4, 5, 6, 7].map((day) => ({ receivedAt: `2024-02-0${day}T09:00`, channel: day <= 5 ? 'ONLINE' : 'IN_PERSON', dueAt: `2024-02-0${day + 2}T17:00`, endedAt: day <= 6 ? `2024-02-0${day + 1}T10:00` : '2024-02-20T10:00' })),
  );
  await historicDossiers('da-nang', PROCEDURE, [1, 2, 3, 4, 5, 6].map((day) => ({ receivedAt: `2024-02-0${day}T10:00`, channel: 'ONLINE', dueAt: `2024-02-1${day}T17:00`, endedAt: `2024-02-0${day + 2}T10:00` })));
  // Hậu Giang, merged into Cần Thơ on 1 July 2025: its own dossiers before, Cần Thơ's after.
  await historicDossiers('hau-giang', PROCEDURE, [2, 3, 4, 5, 6, 7].map((day) => ({ receivedAt: `2025-05-0${day}T08:30`, channel: 'ONLINE', dueAt: `2025-05-1${day}T17:00`, endedAt: `2025-05-0${day + 2}T15:00` })));
  await historicDossiers('can-tho', PROCEDURE, [4, 5, 6, 7, 8].map((day) => ({ receivedAt: `2025-08-0${day}T08:30`, channel: 'IN_PERSON', dueAt: `2025-08-1${day}T17:00`, endedAt: `2025-08-1${day}T09:00` })));
});

afterAll(async () => {
  await api.close();
  await owner.close();
});

describe('a ministry reads indicators across provinces', () => {
  test('on-time and online rates for every province it is granted, for a year, equal to recomputing them from the dossiers', async () => {
    const year = 2026;
    const result = await national(vpcp, { period: { year }, indicators: ['ON_TIME_RATE', 'ONLINE_SHARE'] });
    expect(result.errors).toBeUndefined();
    const answer = result.data!.nationalIndicators;
    const active = await owner.prisma.tenant.findMany({ where: { status: 'ACTIVE' } });
    expect(answer.provinces.map((p: { slug: string }) => p.slug).sort()).toEqual(
      (await owner.prisma.tenant.findMany({ where: { OR: [{ status: 'ACTIVE' }, { mergedInto: { status: 'ACTIVE' } }] } })).map((t) => t.slug).sort(),
    );
    // The same figures from the dossiers themselves, judged by the pure on-time rule.
    const start = new Date(`${year}-01-01T00:00:00+07:00`);
    const end = new Date(`${year + 1}-01-01T00:00:00+07:00`);
    const dossiers = await owner.prisma.dossier.findMany({
      where: { OR: [{ receivedAt: { gte: start, lt: end } }, { endedAt: { gte: start, lt: end }, receivedAt: { not: null } }] },
    });
    // Each province's rates from its dossiers, withheld under five; then the answer's one secondary
    // suppression rule (figures.test.ts tests it on its own).
    const expected = (indicator: string, base: number, counted: number) =>
      base > 0 && base < answer.minimumCell ? { indicator, value: null, base: null, suppressed: true } : { indicator, value: base ? counted / base : null, base, suppressed: false };
    const expectedRows = new Map<string, any[]>();
    for (const tenant of active) {
      const received = dossiers.filter((d) => d.tenantId === tenant.id && d.receivedAt && d.receivedAt >= start && d.receivedAt < end);
      const finished = dossiers.filter((d) => d.tenantId === tenant.id && d.endedAt && d.endedAt >= start && d.endedAt < end && d.receivedAt);
      const onTime = finished.filter((d) => judgeFinished({ dueAt: d.dueAtBeforeExtension ?? d.dueAt, resultReadyAt: d.resultReadyAt, returnedAt: d.returnedAt, stoppedAt: d.stoppedAt, supplementRequests: d.supplementRequests }) !== 'LATE');
      if (!received.length && !finished.length) continue;
      expectedRows.set(tenant.id, [expected('ON_TIME_RATE', finished.length, onTime.length), expected('ONLINE_SHARE', received.length, received.filter((d) => d.channel === 'ONLINE').length)]);
    }
    expect(answer.rows.map((row: { key: string }) => row.key).sort()).toEqual([...expectedRows.keys()].sort());
    const keys = [...expectedRows.keys()];
    const secondary = withSecondarySuppression(keys.map((key) => expectedRows.get(key)!), answer.total.values);
    keys.forEach((key, index) => {
      const row = answer.rows.find((candidate: { key: string }) => candidate.key === key);
      expect(row.province.slug).toBe(active.find((tenant) => tenant.id === key)!.slug);
      expect(row.values).toEqual(secondary[index]);
    });
  });

  test('a figure over fewer than five dossiers is withheld, and the next smallest with it; the others are shown', async () => {
    const result = await national(vpcp, { period: { year: 2024, month: 2 }, indicators: ['ONLINE_SHARE', 'ON_TIME_RATE'], filter: { procedureCodes: [PROCEDURE] } });
    expect(result.errors).toBeUndefined();
    const answer = result.data!.nationalIndicators;
    expect(answer.minimumCell).toBe(5);
    const bySlug = (slug: string) => answer.rows.find((row: { province: { slug: string } }) => row.province.slug === slug);
    const withheld = [
      { indicator: 'ONLINE_SHARE', value: null, base: null, suppressed: true },
      { indicator: 'ON_TIME_RATE', value: null, base: null, suppressed: true },
    ];
    expect(bySlug('quang-tri').values).toEqual(withheld); // 3 dossiers
    // Đà Nẵng's 6 would give Quảng Trị's 3 away as the total's 16 minus 7 and 6: withheld too.
    expect(bySlug('da-nang').values).toEqual(withheld);
    expect(bySlug('vinh-long').values).toEqual([
      { indicator: 'ONLINE_SHARE', value: 5 / 7, base: 7, suppressed: false },
      { indicator: 'ON_TIME_RATE', value: 6 / 7, base: 7, suppressed: false },
    ]);
    expect(answer.total.values[0]).toEqual({ indicator: 'ONLINE_SHARE', value: 14 / 16, base: 16, suppressed: false });
    // With the smallest cell shown (MINISTRY_MINIMUM_CELL=1), every figure is there.
    const open = await startTestApi({ MINISTRY_MINIMUM_CELL: '1' });
    try {
      const all = (await open.gql(NATIONAL, { period: { year: 2024, month: 2 }, indicators: ['ONLINE_SHARE'], filter: { procedureCodes: [PROCEDURE] } }, { token: vpcp })).data!.nationalIndicators;
      expect(Object.fromEntries(all.rows.map((row: any) => [row.province.slug, row.values[0].base]))).toEqual({ 'quang-tri': 3, 'vinh-long': 7, 'da-nang': 6 });
    } finally {
      await open.close();
    }
  });

  test('a merged province: its own rows before the merger, or all under its successor', async () => {
    const canThoId = edgeId('Province', province('can-tho').id);
    const ask = (view: string) => national(vpcp, { period: { year: 2025 }, view, indicators: ['ONLINE_SHARE'], filter: { provinceIds: [canThoId], procedureCodes: [PROCEDURE] } });
    const recorded = (await ask('RECORDED')).data!.nationalIndicators;
    const successor = (await ask('SUCCESSOR')).data!.nationalIndicators;
    const base = (answer: any, slug: string) => answer.rows.find((row: any) => row.province.slug === slug)?.values[0].base ?? 0;
    expect(base(recorded, 'hau-giang')).toBe(6);
    expect(base(recorded, 'can-tho')).toBeGreaterThanOrEqual(5);
    expect(base(successor, 'hau-giang')).toBe(0);
    expect(base(successor, 'can-tho')).toBe(base(recorded, 'can-tho') + base(recorded, 'hau-giang') + base(recorded, 'soc-trang'));
    expect(successor.total.values[0].base).toBe(recorded.total.values[0].base);
    // The grant on Cần Thơ covers what merged into it: Hậu Giang may be asked for by itself.
    const alone = await national(vpcp, { period: { year: 2025, month: 5 }, indicators: ['ONLINE_SHARE'], filter: { provinceIds: [edgeId('Province', province('hau-giang').id)], procedureCodes: [PROCEDURE] } });
    expect(alone.data!.nationalIndicators.total.values[0]).toEqual({ indicator: 'ONLINE_SHARE', value: 1, base: 6, suppressed: false });
  });

  test('by month and by channel', async () => {
    const byMonth = (await national(vpcp, { period: { year: 2024, quarter: 1 }, groupBy: 'MONTH', indicators: ['ONLINE_SHARE'], filter: { procedureCodes: [PROCEDURE] } })).data!.nationalIndicators;
    expect(byMonth.rows.map((row: any) => [row.key, row.label])).toContainEqual(['2024-02', '02/2024']);
    const byChannel = (await national(vpcp, { period: { year: 2024, month: 2 }, groupBy: 'CHANNEL', indicators: ['ONLINE_SHARE'], filter: { procedureCodes: [PROCEDURE] } })).data!.nationalIndicators;
    expect(Object.fromEntries(byChannel.rows.map((row: any) => [row.label, row.values[0].base]))).toEqual({ 'Trực tuyến': null, 'Trực tiếp': null }); // two at the counter: withheld, and so the online 14 of the total 16
  });

  test('a ministry granted some fields sees those fields only', async () => {
    const justice = (await national(btp, { period: { year: 2024, month: 2 }, groupBy: 'FIELD', indicators: ['ONLINE_SHARE'] })).data!.nationalIndicators;
    const everything = (await national(vpcp, { period: { year: 2024, month: 2 }, groupBy: 'FIELD', indicators: ['ONLINE_SHARE'] })).data!.nationalIndicators;
    expect(justice.rows.map((row: any) => row.key)).toContain('LY_LICH_TU_PHAP');
    expect(justice.rows.every((row: any) => ['HO_TICH', 'CHUNG_THUC', 'LY_LICH_TU_PHAP', 'DANG_KY_BIEN_PHAP_BAO_DAM'].includes(row.key))).toBe(true);
    const justiceFields = everything.rows.map((row: any) => row.key).filter((key: string) => ['HO_TICH', 'CHUNG_THUC', 'LY_LICH_TU_PHAP', 'DANG_KY_BIEN_PHAP_BAO_DAM'].includes(key));
    expect(justice.rows.map((row: any) => row.key)).toEqual(justiceFields);
  });

  test("one province's year: by a query, and as the federation entity a ministry's graph refers to", async () => {
    const provinceId = edgeId('Province', province('vinh-long').id);
    const direct = await api.gql(`query($id: ID!) { provinceIndicators(provinceId: $id, year: 2024) { provinceId year province { slug } values { indicator value base } } }`, { id: provinceId }, { token: vpcp });
    expect(direct.errors).toBeUndefined();
    const answer = direct.data!.provinceIndicators;
    expect(answer).toMatchObject({ provinceId, year: 2024, province: { slug: 'vinh-long' } });
    const all = (await national(vpcp, { period: { year: 2024 }, filter: { provinceIds: [provinceId] } })).data!.nationalIndicators;
    expect(answer.values).toEqual(all.total.values.map(({ suppressed: _suppressed, ...value }: any) => value));
    expect(answer.values.find((value: any) => value.indicator === 'ONLINE_SHARE').base).toBeGreaterThanOrEqual(7);
    const entities = await api.gql(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ProvinceIndicators { year values { indicator base } } } }`,
      { representations: [{ __typename: 'ProvinceIndicators', provinceId, year: 2024 }, { __typename: 'ProvinceIndicators', provinceId: 'not-an-id', year: 2024 }] },
      { token: vpcp },
    );
    expect(entities.errors).toBeUndefined();
    expect(entities.data!._entities[0].values).toEqual(answer.values.map(({ indicator, base }: any) => ({ indicator, base })));
    expect(entities.data!._entities[1]).toBeNull();
    const asOfficial = await api.gql(`query($id: ID!) { provinceIndicators(provinceId: $id, year: 2024) { year } }`, { id: provinceId }, { token: await api.token({ province: province('vinh-long').id, roles: ['official', 'province_admin'] }) });
    expect(asOfficial.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  test.each([
    ['a period not begun', { period: { year: 2099 } }, 'BAD_USER_INPUT', 'period'],
    ['a month and a quarter', { period: { year: 2025, month: 1, quarter: 1 } }, 'BAD_USER_INPUT', 'period'],
    ['an unknown procedure', { period: { year: 2025 }, filter: { procedureCodes: ['9.999999'] } }, 'BAD_USER_INPUT', 'filter.procedureCodes'],
    // more codes than PostgreSQL takes parameters: one array parameter, a client error, not a fault
    ['forty thousand unknown procedures', { period: { year: 2025 }, filter: { procedureCodes: Array.from({ length: 40_000 }, (_, n) => `9.${String(n).padStart(6, '0')}`) } }, 'BAD_USER_INPUT', 'filter.procedureCodes'],
    ['an id that is not a province', { period: { year: 2025 }, filter: { provinceIds: [edgeId('Agency', '7ca78a71-7561-509f-b505-accdd30614b6')] } }, 'BAD_USER_INPUT', null],
    ['a province not granted', { period: { year: 2025 }, filter: { provinceIds: [edgeId('Province', '00000000-0000-4000-8000-000000000000')] } }, 'FORBIDDEN', 'filter.provinceIds'],
  ])('%s is a coded client error', async (_case, variables, code, field) => {
    const result = await national(vpcp, variables);
    expect(result.errors?.[0].extensions?.code).toBe(code);
    if (field) expect(result.errors?.[0].extensions?.fieldErrors.map((error: { field: string }) => error.field)).toContain(field);
    expect(result.data?.nationalIndicators ?? null).toBeNull();
  });

  test('every read is logged with what was asked', async () => {
    const before = await owner.prisma.ministryRead.count({ where: { ministry: { code: 'VPCP' } } });
    await national(vpcp, { period: { year: 2024, month: 2 }, indicators: ['ON_TIME_RATE'] });
    const reads = await owner.prisma.ministryRead.findMany({ where: { ministry: { code: 'VPCP' } }, orderBy: { at: 'desc' }, take: 1 });
    expect(await owner.prisma.ministryRead.count({ where: { ministry: { code: 'VPCP' } } })).toBe(before + 1);
    expect(reads[0]).toMatchObject({ operation: 'nationalIndicators', indicators: ['ON_TIME_RATE'], question: { period: { year: 2024, month: 2 }, groupBy: 'PROVINCE' } });
    expect(reads[0].provinceIds).toContain(province('vinh-long').id);
    // The province's admins see who read their figures; another province's admins do not see this read.
    const admin = (slug: string) => api.token({ province: province(slug).id, roles: ['official', 'province_admin'] });
    const READS = `{ ministryReads(first: 1) { totalCount edges { node { ministryCode ministryName at indicators question } } } }`;
    const seen = (await api.gql(READS, {}, { token: await admin('vinh-long'), province: 'vinh-long' })).data!.ministryReads;
    expect(seen.edges[0].node).toMatchObject({ ministryCode: 'VPCP', ministryName: 'Văn phòng Chính phủ', indicators: ['ON_TIME_RATE'], at: reads[0].at.toISOString() });
    expect(JSON.parse(seen.edges[0].node.question)).toMatchObject({ period: { year: 2024, month: 2 } });
    const quangTriReads = await owner.prisma.ministryRead.count({ where: { provinceIds: { has: province('quang-tri').id } } });
    const quangTriSeen = (await api.gql(READS, {}, { token: await admin('quang-tri'), province: 'quang-tri' })).data!.ministryReads;
    expect(quangTriSeen.totalCount).toBe(quangTriReads);
    const citizen = await api.token({ province: province('vinh-long').id, roles: ['citizen'], sub: 'vneid-reads' });
    expect((await api.gql(READS, {}, { token: citizen, province: 'vinh-long' })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('no personal data, enforced by the database', () => {
  test.each(['dossier', 'dossier_log_entry', 'official', 'official_role', 'agency', 'work_history_entry', 'audit_entry', 'stored_file', 'file_chunk', 'portal_sync_record', 'tracking_attempt', 'official_document', 'incoming_document', 'document_envelope', 'ministry_read'])(
    "a ministry's role cannot read %s at all",
    async (table) => {
      const transaction = await openTransaction(api.database, { tenantId: null, role: 'ministry', ministry: 'VPCP', timeoutMs: 10_000 });
      try {
        await expect(transaction.sql.rows(`SELECT count(*) FROM ${table}`)).rejects.toThrow(/permission denied/);
      } finally {
        await transaction.rollback();
      }
    },
  );

  test("it cannot write the roll-ups, nor log a read as another ministry, nor read another's grants", async () => {
    const attempt = async (sql: string) => {
      const transaction = await openTransaction(api.database, { tenantId: null, role: 'ministry', ministry: 'BTP', timeoutMs: 10_000 });
      try {
        return await transaction.sql.rows(sql).then(
          (rows) => ({ rows }),
          (error: Error) => ({ error: error.message }),
        );
      } finally {
        await transaction.rollback();
      }
    };
    expect(await attempt(`UPDATE dossier_monthly_figure SET received = received + 1`)).toEqual({ error: expect.stringMatching(/permission denied/) });
    const vpcpId = (await owner.prisma.ministry.findUniqueOrThrow({ where: { code: 'VPCP' } })).id;
    expect(await attempt(`INSERT INTO ministry_read (id, ministry_id, at, request_id, question, indicators, province_ids) VALUES (gen_random_uuid(), '${vpcpId}', now(), 'x', '{}', '{}', '{}')`)).toEqual({
      error: expect.stringMatching(/row-level security/),
    });
    expect(await attempt(`SELECT DISTINCT m.code FROM ministry_grant g JOIN ministry m ON m.id = g.ministry_id`)).toEqual({ rows: [{ code: 'BTP' }] });
    const fields = await attempt(`SELECT DISTINCT field_code FROM dossier_monthly_figure ORDER BY 1`);
    expect('rows' in fields && fields.rows.length).toBeTruthy();
    expect('rows' in fields && fields.rows.every((row: any) => ['HO_TICH', 'CHUNG_THUC', 'LY_LICH_TU_PHAP', 'DANG_KY_BIEN_PHAP_BAO_DAM'].includes(row.field_code))).toBe(true);
  });

  test("the API role can become the ministry role but holds none of its privileges or policies", async () => {
    const asApp = async <T>(fn: (sql: Awaited<ReturnType<typeof openTransaction>>['sql']) => Promise<T>) => {
      const transaction = await openTransaction(api.database, { tenantId: province('vinh-long').id, role: 'app', timeoutMs: 10_000 });
      try {
        return await fn(transaction.sql);
      } finally {
        await transaction.rollback();
      }
    };
    await expect(asApp((sql) => sql.rows(`INSERT INTO ministry_read (id, ministry_id, at, request_id, question, indicators, province_ids) VALUES (gen_random_uuid(), gen_random_uuid(), now(), 'x', '{}', '{}', '{}')`))).rejects.toThrow(/permission denied/);
    const plan = await asApp((sql) => sql.rows<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT * FROM dossier_monthly_figure`));
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/tenant_id/);
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).not.toMatch(/ministry/);
  });

  test("a province's API role reads only the ministries' reads that included it", async () => {
    const tenantId = province('quang-tri').id;
    const transaction = await openTransaction(api.database, { tenantId, role: 'app', timeoutMs: 10_000 });
    try {
      const [{ mine, others }] = await transaction.sql.rows<{ mine: number; others: number }>(
        `SELECT count(*) FILTER (WHERE $1::uuid = ANY (province_ids))::int AS mine, count(*) FILTER (WHERE NOT $1::uuid = ANY (province_ids))::int AS others FROM ministry_read`,
        [tenantId],
      );
      expect(others).toBe(0);
      expect(mine).toBe(await owner.prisma.ministryRead.count({ where: { provinceIds: { has: tenantId } } }));
      expect(await owner.prisma.ministryRead.count({ where: { NOT: { provinceIds: { has: tenantId } } } })).toBeGreaterThan(0);
    } finally {
      await transaction.rollback();
    }
  });

  test("through the API a ministry's token reaches no province's data", async () => {
    const dossier = await owner.prisma.dossier.findFirstOrThrow({ where: { tenantId: province('vinh-long').id } });
    const asNode = await api.gql(`query($id: ID!) { node(id: $id) { ... on Dossier { applicantName } } }`, { id: edgeId('Dossier', dossier.id) }, { token: vpcp });
    expect(asNode.data?.node ?? null).toBeNull();
    const officials = await api.gql(`{ officials(first: 1) { totalCount } }`, {}, { token: vpcp, province: 'vinh-long' });
    expect(['PROVINCE_REQUIRED', 'FORBIDDEN']).toContain(officials.errors?.[0].extensions?.code);
    const statistics = await api.gql(`{ dossierStatistics(period: { year: 2024 }) { total { received } } }`, {}, { token: vpcp, province: 'vinh-long' });
    expect(['PROVINCE_REQUIRED', 'FORBIDDEN']).toContain(statistics.errors?.[0].extensions?.code);
  });

  test('other callers get no national indicators', async () => {
    const official = await api.token({ province: province('vinh-long').id, roles: ['official', 'province_admin'] });
    const asOfficial = await national(official, { period: { year: 2024 } });
    expect(asOfficial.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await api.gql(NATIONAL, { period: { year: 2024 } });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('grants, by platform admins and the CLI', () => {
  const GRANT = `mutation($input: MinistryGrantInput!) { grantMinistry(input: $input) { ministryCode ministryName indicators fieldCodes grantedBy } }`;
  const seedGrant = { ministryCode: 'BTP', fieldCodes: ['HO_TICH', 'CHUNG_THUC', 'LY_LICH_TU_PHAP', 'DANG_KY_BIEN_PHAP_BAO_DAM'], indicators: [] };

  test('a platform admin narrows a grant; the ministry is held to it; the province sees who may read it', async () => {
    const admin = await api.token({ roles: ['platform_admin'], sub: 'quan-tri-nen-tang' });
    const granted = await api.gql(GRANT, { input: { ministryCode: 'BTP', indicators: ['ON_TIME_RATE'], fieldCodes: ['LY_LICH_TU_PHAP'] } }, { token: admin, province: 'vinh-long' });
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.grantMinistry).toEqual({ ministryCode: 'BTP', ministryName: 'Bộ Tư pháp', indicators: ['ON_TIME_RATE'], fieldCodes: ['LY_LICH_TU_PHAP'], grantedBy: 'quan-tri-nen-tang' });
    try {
      const refused = await national(btp, { period: { year: 2024, month: 2 }, indicators: ['ONLINE_SHARE'] });
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(refused.errors?.[0].message).toMatch(/ONLINE_SHARE/);
      const allowed = await national(btp, { period: { year: 2024, month: 2 }, indicators: ['ON_TIME_RATE'], filter: { provinceIds: [edgeId('Province', province('vinh-long').id)] } });
      expect(allowed.data!.nationalIndicators.total.values[0]).toEqual({ indicator: 'ON_TIME_RATE', value: 6 / 7, base: 7, suppressed: false });
      const provinceAdmin = await api.token({ province: province('vinh-long').id, roles: ['official', 'province_admin'] });
      const listed = await api.gql(`{ ministryGrants { ministryCode indicators fieldCodes } }`, {}, { token: provinceAdmin, province: 'vinh-long' });
      expect(listed.data!.ministryGrants).toContainEqual({ ministryCode: 'BTP', indicators: ['ON_TIME_RATE'], fieldCodes: ['LY_LICH_TU_PHAP'] });
      expect(listed.data!.ministryGrants.map((grant: { ministryCode: string }) => grant.ministryCode)).toContain('VPCP');
      const byProvinceAdmin = await api.gql(GRANT, { input: { ministryCode: 'BTP' } }, { token: provinceAdmin, province: 'vinh-long' });
      expect(byProvinceAdmin.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    } finally {
      await api.gql(GRANT, { input: seedGrant }, { token: admin, province: 'vinh-long' });
    }
  });

  test.each([
    [{ ministryCode: 'BQP' }, 'NOT_FOUND', 'ministryCode'],
    [{ ministryCode: 'btp' }, 'BAD_USER_INPUT', 'ministryCode'],
    [{ ministryCode: 'BTP', fieldCodes: ['KHONG_CO'] }, 'BAD_USER_INPUT', 'fieldCodes'],
  ])('a grant of %j is refused (%s)', async (input, code, field) => {
    const admin = await api.token({ roles: ['platform_admin'], sub: 'quan-tri-nen-tang' });
    const result = await api.gql(GRANT, { input }, { token: admin, province: 'vinh-long' });
    expect(result.errors?.[0].extensions?.code).toBe(code);
    expect(result.errors?.[0].extensions?.fieldErrors.map((error: { field: string }) => error.field)).toContain(field);
  });

  test('a grant cannot be written into another province, even by SQL in the API role', async () => {
    const ministry = await owner.prisma.ministry.findUniqueOrThrow({ where: { code: 'BTP' } });
    const transaction = await openTransaction(api.database, { tenantId: province('vinh-long').id, role: 'app', timeoutMs: 10_000 });
    try {
      await expect(
        transaction.sql.rows(`INSERT INTO ministry_grant (ministry_id, tenant_id, indicators, field_codes, granted_at, granted_by) VALUES ($1, $2, '{}', '{}', now(), 'x')`, [ministry.id, province('quang-tri').id]),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await transaction.rollback();
    }
  });

  test('npm run ministry adds a ministry, grants, lists and revokes', async () => {
    const env = { DATABASE_URL: process.env.TEST_OWNER_URL };
    const run = (...args: string[]) => runScript('scripts/ministry.ts', args, env);
    expect((await run('add', 'BYT', 'Bộ Y tế')).code).toBe(0);
    const byt = await api.token({ roles: ['ministry'], sub: 'BYT' });
    expect((await national(byt, { period: { year: 2024 } })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const granted = await run('grant', 'BYT', '86', '--indicators', 'ON_TIME_RATE,ONLINE_SHARE');
    expect(granted.code).toBe(0);
    expect(granted.stdout).toMatch(/BYT may read vinh-long/);
    const read = await national(byt, { period: { year: 2024, month: 2 }, indicators: ['ONLINE_SHARE'] });
    expect(read.data!.nationalIndicators.provinces.map((p: { slug: string }) => p.slug)).toEqual(['vinh-long']);
    expect((await run('list')).stdout).toMatch(/BYT\tBộ Y tế\n {2}vinh-long\tindicators: ONLINE_SHARE,ON_TIME_RATE\tfields: all/);
    expect((await run('grant', 'BYT', '86', '--indicators', 'KHONG_CO')).code).toBe(1);
    expect((await run('revoke', 'BYT', 'vinh-long')).stdout).toMatch(/no longer/);
    expect((await national(byt, { period: { year: 2024 } })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
