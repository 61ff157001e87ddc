import {
  agenciesInTreeOrder,
  changedFields,
  formatFieldChange,
  formatValue,
  IDENTITY_CHANGE_FLAG,
  periodsOverlap,
  planAgencies,
  planTenant,
  tenantRefusalMessage,
  planSuccessions,
  planUnits,
  sameValue,
  todayIn,
  unitRow,
  type ExistingAgency,
  type ExistingTenant,
  type ExistingUnit,
  type TenantFields,
} from './onboarding-plan';
import { dateOnly } from '../../kernel/dates';
import { stableUuid } from '../../kernel/ids';
import { unitKeyString, type SuccessionRecord, type UnitRecord } from './unit-catalogue';
import type { AgencyManifest } from './manifest';

const decimal = (value: number) => ({ toNumber: () => value });

describe('sameValue', () => {
  test.each<[string, unknown, unknown, boolean]>([
    ['equal strings', 'a', 'a', true],
    ['different strings', 'a', 'b', false],
    ['null and a value', null, 'a', false],
    ['null and null', null, null, true],
    ['the same date', dateOnly('2025-07-01'), dateOnly('2025-07-01'), true],
    ['different dates', dateOnly('2025-07-01'), dateOnly('2025-06-30'), false],
    ['a date and null', dateOnly('2025-07-01'), null, false],
    ['a decimal and its number', decimal(2.67), 2.67, true],
    ['a decimal and another number', decimal(2.67), 3, false],
    ['equal arrays', ['a', 'b'], ['a', 'b'], true],
    ['arrays in another order', ['a', 'b'], ['b', 'a'], false],
    ['JSON with keys reordered (jsonb)', [{ end: '11:30', start: '07:00' }], [{ start: '07:00', end: '11:30' }], true],
    ['JSON with a value changed', [{ end: '11:30', start: '07:00' }], [{ start: '07:30', end: '11:30' }], false],
  ])('%s', (_label, current, desired, expected) => {
    expect(sameValue(current, desired)).toBe(expected);
  });
});

test('changedFields keeps what differs and ignores what the manifest does not say', () => {
  const current = { name: 'Sở Tư pháp', email: 'stp@cantho.gov.vn', phone: '0292 3820 000', parentId: null };
  expect(changedFields(current, { name: 'Sở Tư pháp thành phố Cần Thơ', email: 'stp@cantho.gov.vn', phone: undefined, parentId: null })).toEqual({
    name: 'Sở Tư pháp thành phố Cần Thơ',
  });
  expect(changedFields(current, { parentId: 'p' })).toEqual({ parentId: 'p' });
});

const commune = (code: string, validFrom: string, name = `Phường ${code}`): UnitRecord => ({
  level: 'COMMUNE',
  code,
  name,
  type: 'Phường',
  provinceCode: '92',
  validFrom,
  validTo: validFrom === '2025-07-01' ? null : '2025-06-30',
});
const existing = (record: UnitRecord, id: string): ExistingUnit => ({ ...unitRow(record), id });

describe('planUnits', () => {
  const kept = commune('31120', '2025-07-01');
  const renamed = commune('31135', '2025-07-01');
  const added = commune('31150', '2025-07-01');
  const sameCodeBefore2025 = commune('31150', '2004-01-01');

  const plan = planUnits(
    [kept, { ...renamed, name: 'Phường Ninh Kiều' }, added, sameCodeBefore2025],
    [existing(kept, 'id-kept'), existing(renamed, 'id-renamed'), existing(commune('99999', '2025-07-01'), 'id-other')],
  );

  test('creates what is missing, updates only the fields that differ, leaves the rest', () => {
    expect(plan.create.map((row) => [row.code, row.validFrom])).toEqual([
      ['31150', dateOnly('2025-07-01')],
      ['31150', dateOnly('2004-01-01')],
    ]);
    expect(plan.update).toEqual([{ id: 'id-renamed', changes: { name: 'Phường Ninh Kiều' } }]);
    expect(plan.unchanged).toBe(1);
  });

  test('knows the id of every unit, existing, new or only read', () => {
    expect(plan.idByKey.get(unitKeyString(kept))).toBe('id-kept');
    expect(plan.idByKey.get(unitKeyString(commune('99999', '2025-07-01')))).toBe('id-other');
    expect(plan.idByKey.get(unitKeyString(added))).toBe(stableUuid('administrative-unit', 'COMMUNE', '31150', '2025-07-01'));
    expect(plan.idByKey.get(unitKeyString(added))).not.toBe(plan.idByKey.get(unitKeyString(sameCodeBefore2025)));
  });

  test('a second plan against the result is empty', () => {
    const rows = [...plan.create.map((row) => ({ ...row })), existing(kept, 'id-kept'), { ...existing(renamed, 'id-renamed'), name: 'Phường Ninh Kiều' }];
    const again = planUnits([kept, { ...renamed, name: 'Phường Ninh Kiều' }, added, sameCodeBefore2025], rows);
    expect(again).toMatchObject({ create: [], update: [], unchanged: 4 });
  });
});

test('planSuccessions creates, updates and skips successions whose ends are unknown', () => {
  const succession = (from: string, to: string, resolution = '1668/NQ-UBTVQH15'): SuccessionRecord => ({
    predecessor: { level: 'COMMUNE', code: from, validFrom: '1992-04-01' },
    successor: { level: 'COMMUNE', code: to, validFrom: '2025-07-01' },
    resolution,
    effectiveOn: '2025-07-01',
  });
  const ids = new Map([
    [unitKeyString(succession('a', 'x').predecessor), 'A'],
    [unitKeyString(succession('b', 'x').predecessor), 'B'],
    [unitKeyString(succession('c', 'x').predecessor), 'C'],
    [unitKeyString(succession('a', 'x').successor), 'X'],
  ]);
  const plan = planSuccessions(
    [succession('a', 'x'), succession('b', 'x'), succession('c', 'x', '202/2025/QH15'), succession('a', 'unknown')],
    ids,
    [
      { predecessorId: 'B', successorId: 'X', resolution: '1668/NQ-UBTVQH15', effectiveOn: dateOnly('2025-07-01') },
      { predecessorId: 'C', successorId: 'X', resolution: '1668/NQ-UBTVQH15', effectiveOn: dateOnly('2025-07-01') },
    ],
  );
  expect(plan.create).toEqual([{ predecessorId: 'A', successorId: 'X', resolution: '1668/NQ-UBTVQH15', effectiveOn: dateOnly('2025-07-01') }]);
  expect(plan.update).toEqual([{ predecessorId: 'C', successorId: 'X', resolution: '202/2025/QH15', effectiveOn: dateOnly('2025-07-01') }]);
  expect(plan.unchanged).toBe(1);
  expect(plan.skipped).toBe(1);
});

describe('agencies', () => {
  const agency = (code: string, parent?: string): AgencyManifest => ({ code, parent, name: `Cơ quan ${code}`, kind: 'DEPARTMENT' });

  test('agenciesInTreeOrder puts parents first, whatever the manifest order', () => {
    const ordered = agenciesInTreeOrder([agency('c', 'b'), agency('b', 'a'), agency('a'), agency('d', 'a')]).map((a) => a.code);
    expect(ordered.indexOf('a')).toBeLessThan(ordered.indexOf('b'));
    expect(ordered.indexOf('b')).toBeLessThan(ordered.indexOf('c'));
    expect(ordered.indexOf('a')).toBeLessThan(ordered.indexOf('d'));
  });

  test('agenciesInTreeOrder refuses a cycle', () => {
    expect(() => agenciesInTreeOrder([agency('a', 'b'), agency('b', 'a')])).toThrow(/cycle/);
  });

  test('planAgencies links children to new and existing parents and keeps existing ids', () => {
    const current: ExistingAgency = { id: 'root-id', code: 'a', name: 'Cơ quan a', kind: 'DEPARTMENT', parentId: null, unitId: 'u', email: null, phone: null, address: null };
    const plan = planAgencies('tenant', [agency('b', 'a'), agency('a')], [current], () => 'u');
    expect(plan.unchanged).toBe(1);
    expect(plan.create).toEqual([
      { tenantId: 'tenant', id: stableUuid('agency', 'tenant', 'b'), code: 'b', name: 'Cơ quan b', kind: 'DEPARTMENT', parentId: 'root-id', unitId: 'u', email: undefined, phone: undefined, address: undefined },
    ]);
    const moved = planAgencies('tenant', [agency('a')], [current], () => 'another-unit');
    expect(moved.update).toEqual([
      { id: 'root-id', code: 'a', changes: { unitId: 'another-unit' }, fieldChanges: [{ field: 'unitId', from: 'u', to: 'another-unit' }] },
    ]);
  });

  test('planAgencies reports a changed parent by its code and a renamed agency old → new', () => {
    const ubnd: ExistingAgency = { id: 'ubnd-id', code: '000.00.00.H13', name: 'Ủy ban nhân dân thành phố Cần Thơ', kind: 'PEOPLES_COMMITTEE', parentId: null, unitId: 'u', email: null, phone: null, address: null };
    const office: ExistingAgency = { ...ubnd, id: 'office-id', code: '000.00.01.H13', name: 'Văn phòng UBND', kind: 'COMMITTEE_OFFICE', parentId: null };
    const plan = planAgencies(
      'tenant',
      [
        { code: '000.00.00.H13', name: 'Ủy ban nhân dân thành phố Cần Thơ', kind: 'PEOPLES_COMMITTEE' },
        { code: '000.00.01.H13', name: 'Văn phòng Ủy ban nhân dân thành phố Cần Thơ', kind: 'COMMITTEE_OFFICE', parent: '000.00.00.H13' },
      ],
      [ubnd, office],
      () => 'u',
    );
    expect(plan.update.map((update) => update.fieldChanges.map((change) => formatFieldChange(`agency ${update.code}`, change)))).toEqual([
      [
        'agency 000.00.01.H13: name "Văn phòng UBND" → "Văn phòng Ủy ban nhân dân thành phố Cần Thơ"',
        'agency 000.00.01.H13: parent null → "000.00.00.H13"',
      ],
    ]);
  });
});

test.each([
  ['2025-06-30T16:59:00Z', '2025-06-30'],
  ['2025-06-30T17:00:00Z', '2025-07-01'], // midnight in Hồ Chí Minh time (UTC+7)
])('todayIn(Asia/Ho_Chi_Minh) at %s is %s', (instant, date) => {
  expect(todayIn('Asia/Ho_Chi_Minh', new Date(instant))).toBe(date);
});

describe('formatValue', () => {
  test.each<[string, unknown, string]>([
    ['a string, quoted', 'Thành phố Cần Thơ', '"Thành phố Cần Thơ"'],
    ['a date column, as the day', dateOnly('2004-01-01'), '"2004-01-01"'],
    ['null', null, 'null'],
    ['a decimal', decimal(4.98), '4.98'],
    ['a list', ['cantho.gov.vn'], '["cantho.gov.vn"]'],
  ])('%s', (_label, value, shown) => {
    expect(formatValue(value)).toBe(shown);
  });
});

test.each<[string, [string, string | null], [string, string | null], boolean]>([
  ['open periods', ['2004-01-01', null], ['2025-07-01', null], true],
  ['one ends the day before the other starts (44: Quảng Bình, then Quảng Trị)', ['1989-07-01', '2025-06-30'], ['2025-07-01', null], false],
  ['sharing the last day', ['1989-07-01', '2025-07-01'], ['2025-07-01', null], true],
  ['both closed, apart', ['1976-01-01', '1991-12-31'], ['2004-01-01', '2025-06-30'], false],
])('periodsOverlap: %s', (_label, [fromA, toA], [fromB, toB], expected) => {
  const period = (from: string, to: string | null) => ({ from: dateOnly(from), to: to === null ? null : dateOnly(to) });
  expect(periodsOverlap(period(fromA, toA), period(fromB, toB))).toBe(expected);
  expect(periodsOverlap(period(fromB, toB), period(fromA, toA))).toBe(expected);
});

describe('planTenant', () => {
  const CAN_THO_ID = 'c1b70ef0-90a6-4b1d-a20b-05f1ad2060b0';
  const canTho: TenantFields = {
    slug: 'can-tho',
    name: 'Thành phố Cần Thơ',
    gsoCode: '92',
    codeValidFrom: dateOnly('2004-01-01'),
    codeValidTo: null,
    hostNames: ['cantho.gov.vn'],
    timeZone: 'Asia/Ho_Chi_Minh',
    officeHours: [{ start: '07:00', end: '11:30' }],
    status: 'ACTIVE',
    mergedIntoId: null,
    mergedOn: null,
    unitId: 'unit-92',
  };
  const row = (id: string, fields: TenantFields): ExistingTenant => ({ id, ...fields });
  const anGiang: TenantFields = { ...canTho, slug: 'an-giang', name: 'Tỉnh An Giang', gsoCode: '91', hostNames: ['angiang.gov.vn'], unitId: 'unit-91' };
  const socTrangRow = row('62242d5d-0a14-4b2c-b0fb-9bd56d6ed593', {
    ...canTho,
    slug: 'soc-trang',
    name: 'Tỉnh Sóc Trăng',
    gsoCode: '94',
    codeValidFrom: dateOnly('1992-04-01'),
    codeValidTo: dateOnly('2025-06-30'),
    status: 'MERGED',
    mergedIntoId: CAN_THO_ID,
    mergedOn: dateOnly('2025-07-01'),
  });

  const lines = (plan: ReturnType<typeof planTenant>) => plan.fieldChanges.map((change) => formatFieldChange('tenant can-tho', change));

  test.each<[string, Partial<TenantFields>, string[], string[]]>([
    ['nothing differs', {}, [], []],
    ['host names and office hours are not identity', { hostNames: ['cantho.gov.vn', 'dvc.cantho.gov.vn'], officeHours: [{ start: '07:30', end: '11:30' }] }, ['hostNames', 'officeHours'], []],
    ['the unit follows the code: not identity by itself', { unitId: 'unit-92-new' }, ['unitId'], []],
    ['the name', { name: 'Tỉnh An Giang' }, ['name'], ['name']],
    ['the slug', { slug: 'an-giang' }, ['slug'], ['slug']],
    ['the GSO code', { gsoCode: '91' }, ['gsoCode'], ['gsoCode']],
    ['when the code started', { codeValidFrom: dateOnly('2025-07-01') }, ['codeValidFrom'], ['codeValidFrom']],
    [
      'a merger',
      { status: 'MERGED', mergedIntoId: 'x', mergedOn: dateOnly('2025-07-01'), codeValidTo: dateOnly('2025-06-30') },
      ['codeValidTo', 'status', 'mergedIntoId', 'mergedOn'],
      ['codeValidTo', 'status', 'mergedIntoId', 'mergedOn'],
    ],
  ])('%s', (_label, change, changedFields, refusedFields) => {
    const plan = planTenant(CAN_THO_ID, { ...canTho, ...change }, row(CAN_THO_ID, canTho), []);
    expect(plan.create).toBe(false);
    expect(plan.fieldChanges.map((fieldChange) => fieldChange.field)).toEqual(changedFields);
    const refused = plan.refusals.flatMap((refusal) => (refusal.kind === 'identity' ? refusal.changes.map((c) => c.field) : []));
    expect(refused).toEqual(refusedFields);
    // With the flag the same plan goes through, changes and all.
    const allowed = planTenant(CAN_THO_ID, { ...canTho, ...change }, row(CAN_THO_ID, canTho), [], { allowIdentityChange: true });
    expect(allowed.refusals).toEqual([]);
    expect(allowed.changes).toEqual(plan.changes);
  });

  test('the Cần Thơ manifest copied for An Giang with the id left in: refused, each field old → new', () => {
    const plan = planTenant(CAN_THO_ID, anGiang, row(CAN_THO_ID, canTho), []);
    expect(lines(plan)).toEqual([
      'tenant can-tho: slug "can-tho" → "an-giang"',
      'tenant can-tho: name "Thành phố Cần Thơ" → "Tỉnh An Giang"',
      'tenant can-tho: gsoCode "92" → "91"',
      'tenant can-tho: hostNames ["cantho.gov.vn"] → ["angiang.gov.vn"]',
      'tenant can-tho: unitId "unit-92" → "unit-91"',
    ]);
    const message = tenantRefusalMessage('tenants/an-giang.yaml', CAN_THO_ID, anGiang, plan.refusals);
    expect(message.split('\n')).toEqual([
      `tenants/an-giang.yaml: id ${CAN_THO_ID} là Thành phố Cần Thơ (can-tho) trong cơ sở dữ liệu; manifest này sẽ đổi định danh của tỉnh đó:`,
      '  tenant can-tho: slug "can-tho" → "an-giang"',
      '  tenant can-tho: name "Thành phố Cần Thơ" → "Tỉnh An Giang"',
      '  tenant can-tho: gsoCode "92" → "91"',
      `Tỉnh mới thì cần id mới (npm run manifest:new -- an-giang); nếu chính tỉnh này đổi định danh, chạy lại với ${IDENTITY_CHANGE_FLAG}.`,
      'Không ghi gì vào cơ sở dữ liệu.',
    ]);
  });

  test('a new province whose slug another id has is refused, flag or not', () => {
    const existing = row(CAN_THO_ID, canTho);
    for (const allowIdentityChange of [false, true]) {
      const plan = planTenant('11111111-2222-4333-8444-555555555555', { ...anGiang, slug: 'can-tho' }, null, [existing], { allowIdentityChange });
      expect(plan.refusals).toEqual([{ kind: 'taken', field: 'slug', value: 'can-tho', owner: existing }]);
    }
    const message = tenantRefusalMessage('tenants/an-giang.yaml', 'x', { ...anGiang, slug: 'can-tho' }, [{ kind: 'taken', field: 'slug', value: 'can-tho', owner: existing }]);
    expect(message).toBe(`tenants/an-giang.yaml: slug: "can-tho" đã thuộc về tỉnh khác: Thành phố Cần Thơ (id ${CAN_THO_ID})\nKhông ghi gì vào cơ sở dữ liệu.`);
  });

  test.each<[string, Partial<TenantFields>, boolean]>([
    ['a GSO code another province has at the same time', { gsoCode: '92' }, true],
    ['a code another province had before (94 was Sóc Trăng until 30 June 2025)', { gsoCode: '94', codeValidFrom: dateOnly('2025-07-01') }, false],
    ['a code whose periods overlap by one day', { gsoCode: '94', codeValidFrom: dateOnly('2025-06-30') }, true],
  ])('%s', (_label, change, refused) => {
    const plan = planTenant('11111111-2222-4333-8444-555555555555', { ...anGiang, ...change }, null, [row(CAN_THO_ID, canTho), socTrangRow]);
    expect(plan.create).toBe(true);
    expect(plan.refusals.map((refusal) => refusal.kind === 'taken' && refusal.field)).toEqual(refused ? ['gsoCode'] : []);
  });

  test('the GSO code clash names both periods', () => {
    const desired = { ...anGiang, gsoCode: '92' };
    const [refusal] = planTenant('new-id', desired, null, [row(CAN_THO_ID, canTho)]).refusals;
    expect(tenantRefusalMessage('tenants/an-giang.yaml', 'new-id', desired, [refusal])).toMatch(
      /^tenants\/an-giang\.yaml: gsoCode: mã "92" \(2004-01-01 – nay\) đang thuộc về Thành phố Cần Thơ \(can-tho, id c1b70ef0-.*, 2004-01-01 – nay\)/,
    );
  });

  test('a new id is created, its own row is never a clash', () => {
    const plan = planTenant(CAN_THO_ID, canTho, null, [row(CAN_THO_ID, canTho)]);
    expect(plan).toMatchObject({ create: true, refusals: [], fieldChanges: [] });
  });
});
