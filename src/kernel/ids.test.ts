import { isUuid, stableUuid, stableUuidIn } from './ids';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('stableUuid', () => {
  // Pinned: these ids are in every database seeded so far; a change would orphan them.
  test.each([
    [['agency', 'tenant', '000.00.01.H13']],
    [['administrative-unit', 'COMMUNE', '31150', '2025-07-01']],
    [['person', '092195001234']],
    [['official', 'tenant', 'ntatuyet.stp@cantho.gov.vn']],
  ])('%j is a stable, well-formed v5 UUID', (parts) => {
    const id = stableUuid(...parts);
    expect(id).toMatch(UUID_V5);
    expect(stableUuid(...parts)).toBe(id);
  });

  test.each([
    [['agency', 'tenant', '000.00.01.H13'], ['agency', 'tenant', '000.00.02.H13']],
    // parts are joined by NUL, so moving a boundary gives another id
    [['ab', 'c'], ['a', 'bc']],
    [['Nguyễn Thị Ánh Tuyết'], ['Nguyễn Thị Ánh Tuyết'.normalize('NFD')]],
  ])('%j and %j differ', (left, right) => {
    expect(stableUuid(...left)).not.toBe(stableUuid(...right));
  });

  test('the value onboarding has always given', () => {
    expect(stableUuid('agency', 'tenant', '000.00.01.H13')).toBe('13bdd862-3200-5a2e-81d2-36d476d08a87');
  });
});

describe('stableUuidIn', () => {
  const namespace = Buffer.from('6f1c2d9e4b7a4c1e9d3f5a8b7c6e5d4f', 'hex');

  test('a namespace gives other ids for the same name', () => {
    const name = JSON.stringify(['tenant', ['official'], '000.00.03.H13']);
    expect(stableUuidIn(namespace, name)).toMatch(UUID_V5);
    expect(stableUuidIn(namespace, name)).not.toBe(stableUuid(name));
  });

  test('the value development tokens have always given', () => {
    expect(stableUuidIn(namespace, '["x",["official"],null]')).toBe('ba314e6e-4180-5198-9aad-5855cc73a266');
  });

  test('with no namespace it is stableUuid', () => {
    expect(stableUuidIn(new Uint8Array(0), 'agency', 'x')).toBe(stableUuid('agency', 'x'));
  });
});

describe('isUuid', () => {
  test.each([
    ['13bdd862-3200-5a2e-81d2-36d476d08a87', true],
    ['13BDD862-3200-5A2E-81D2-36D476D08A87', true],
    ['00000000-0000-0000-0000-000000000000', true],
    ['13bdd862-3200-5a2e-81d2-36d476d08a8', false],
    ['13bdd8623200-5a2e-81d2-36d476d08a87', false],
    ['cccd:092195001234', false],
    ['ntatuyet.stp@cantho.gov.vn', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(isUuid(text)).toBe(expected);
  });
});
