import { defaultIssuerAbbreviation, formatSymbol, parseSymbol, seriesOf } from './document-symbol';

test.each([
  [{ number: 78, type: 'KE_HOACH', issuer: 'UBND', unit: null }, '78/KH-UBND'],
  [{ number: 15, type: 'QUYET_DINH', issuer: 'BNV', unit: null }, '15/QĐ-BNV'],
  [{ number: 1, type: 'QUY_DINH', issuer: 'UBND', unit: null }, '01/QyĐ-UBND'],
  [{ number: 7, type: 'TO_TRINH', issuer: 'STP', unit: null }, '07/TTr-STP'],
  [{ number: 12, type: 'CONG_VAN', issuer: 'UBND', unit: 'VX' }, '12/UBND-VX'],
  [{ number: 1203, type: 'CONG_VAN', issuer: 'SNV', unit: 'TCBC' }, '1203/SNV-TCBC'],
] as const)('%o is numbered %s, and parses back', (parts, symbol) => {
  expect(formatSymbol(parts)).toBe(symbol);
  expect(parseSymbol(symbol)).toEqual(parts);
});

test.each([
  ['78 / KH - UBND', { number: 78, type: 'KE_HOACH', issuer: 'UBND', unit: null }],
  ['125/TB-STP', { number: 125, type: 'THONG_BAO', issuer: 'STP', unit: null }],
])('%j is forgiven its spaces', (text, parts) => {
  expect(parseSymbol(text)).toEqual(parts);
});

test.each(['', '78', 'KH-UBND', '0/KH-UBND', '78/KH', '78/kh-ubnd', '78/KH-UBND/2025', 'số 78/KH-UBND', '78/-UBND'])('%j does not parse', (text) => {
  expect(parseSymbol(text)).toBeNull();
});

test('a dispatch needs its drafting unit; a number starts at 1', () => {
  expect(() => formatSymbol({ number: 3, type: 'CONG_VAN', issuer: 'UBND', unit: null })).toThrow(/drafting unit/);
  expect(() => formatSymbol({ number: 0, type: 'KE_HOACH', issuer: 'UBND', unit: null })).toThrow();
});

test('secret documents are numbered apart, even normative ones; normative ones apart from the rest', () => {
  expect(seriesOf({ normative: false, confidentiality: 'NORMAL' })).toBe('REGULAR');
  expect(seriesOf({ normative: true, confidentiality: 'NORMAL' })).toBe('NORMATIVE');
  expect(seriesOf({ normative: true, confidentiality: 'TOI_MAT' })).toBe('SECRET');
  expect(seriesOf({ normative: false, confidentiality: 'MAT' })).toBe('SECRET');
});

test.each([
  ['Sở Tư pháp', 'STP'],
  ['Sở Nội vụ', 'SNV'],
  ['Ủy ban nhân dân tỉnh Vĩnh Long', 'UBND'],
  ['Ủy ban nhân dân thành phố Đà Nẵng', 'UBND'],
  ['Sở Tài nguyên và Môi trường', 'STNMT'],
])('%s issues as %s unless told otherwise', (name, abbreviation) => {
  expect(defaultIssuerAbbreviation(name)).toBe(abbreviation);
});
