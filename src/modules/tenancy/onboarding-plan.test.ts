import {
  agenciesInTreeOrder,
  changedFields,
  dateOnly,
  planAgencies,
  planSuccessions,
  planUnits,
  sameValue,
  stableUuid,
  todayIn,
  unitRow,
  type ExistingAgency,
  type ExistingUnit,
} from './onboarding-plan';
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
    expect(moved.update).toEqual([{ id: 'root-id', code: 'a', changes: { unitId: 'another-unit' } }]);
  });
});

test('stableUuid is a stable, well-formed UUID', () => {
  const id = stableUuid('agency', 'tenant', '000.00.01.H13');
  expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(stableUuid('agency', 'tenant', '000.00.01.H13')).toBe(id);
  expect(stableUuid('agency', 'tenant', '000.00.02.H13')).not.toBe(id);
});

test.each([
  ['2025-06-30T16:59:00Z', '2025-06-30'],
  ['2025-06-30T17:00:00Z', '2025-07-01'], // midnight in Hồ Chí Minh time (UTC+7)
])('todayIn(Asia/Ho_Chi_Minh) at %s is %s', (instant, date) => {
  expect(todayIn('Asia/Ho_Chi_Minh', new Date(instant))).toBe(date);
});
