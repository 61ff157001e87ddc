import YAML from 'yaml';
import {
  CatalogueError,
  PROCEDURE_CODE,
  loadNationalCatalogue,
  parseCatalogue,
  type CatalogueIssue,
} from './catalogue-file';

const FILE = 'test-catalogue.yaml';

// A minimal valid entry, as written in YAML.
const entry = (code: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  code,
  name: `Thủ tục ${code}`,
  field: { code: 'HO_TICH', name: 'Hộ tịch' },
  level: 'COMMUNE',
  processing: { amount: 3, unit: 'WORKING_DAYS' },
  onlineLevel: 'FULL',
  fees: [],
  requiredDocuments: [{ code: 'TO_KHAI', name: 'Tờ khai theo mẫu', required: true }],
  results: ['Trích lục'],
  legalBasis: ['Luật Hộ tịch số 60/2014/QH13'],
  ...overrides,
});

function issuesOf(text: string): CatalogueIssue[] {
  try {
    parseCatalogue(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogueError);
    expect((error as Error).message).toContain(FILE);
    return (error as CatalogueError).issues;
  }
  throw new Error('the catalogue was accepted');
}

describe('the shipped national catalogue', () => {
  const catalogue = loadNationalCatalogue();
  const fieldCodes = new Set(catalogue.map((procedure) => procedure.field.code));

  test('parses and holds at least 36 procedures', () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(36);
  });

  test('is read once and cached', () => {
    expect(loadNationalCatalogue()).toBe(catalogue);
  });

  test('codes are well-formed and unique', () => {
    for (const procedure of catalogue) expect(procedure.code).toMatch(PROCEDURE_CODE);
    expect(new Set(catalogue.map((procedure) => procedure.code)).size).toBe(catalogue.length);
  });

  test.each([
    ['civil status', ['HO_TICH']],
    ['judicial record', ['LY_LICH_TU_PHAP']],
    ['authentication', ['CHUNG_THUC']],
    ['land', ['DAT_DAI']],
    ['construction', ['HOAT_DONG_XAY_DUNG']],
    ['business registration', ['THANH_LAP_VA_HOAT_DONG_DOANH_NGHIEP', 'THANH_LAP_VA_HOAT_DONG_HO_KINH_DOANH']],
    ['social welfare', ['BAO_TRO_XA_HOI', 'NGUOI_CO_CONG']],
    ['education', ['GIAO_DUC_TRUNG_HOC']],
    ['transport', ['DUONG_BO']],
  ])('covers %s', (_label, codes) => {
    expect(codes.some((code) => fieldCodes.has(code))).toBe(true);
  });

  type Procedure = (typeof catalogue)[number];
  test.each<[string, (procedure: Procedure) => boolean, number]>([
    ['provincial procedures', (p) => p.level === 'PROVINCE', 10],
    ['commune procedures', (p) => p.level === 'COMMUNE', 10],
    ['times in working days', (p) => p.processing.unit === 'WORKING_DAYS', 1],
    ['times in calendar days', (p) => p.processing.unit === 'CALENDAR_DAYS', 1],
    ['same-day procedures', (p) => p.processing.amount === 0, 1],
    ['fully online procedures', (p) => p.onlineLevel === 'FULL', 1],
    ['partly online procedures', (p) => p.onlineLevel === 'PARTIAL', 1],
    ['a shorter online time', (p) => p.onlineProcessing !== null, 1],
    ['fees above zero', (p) => p.fees.some((fee) => fee.amountVnd > 0), 1],
  ])('has %s', (_label, holds, atLeast) => {
    expect(catalogue.filter(holds).length).toBeGreaterThanOrEqual(atLeast);
  });

  test('the example in the brief reads as expected', () => {
    expect(catalogue.find((procedure) => procedure.code === '1.001193')).toMatchObject({
      name: 'Thủ tục đăng ký khai sinh',
      field: { code: 'HO_TICH' },
      level: 'COMMUNE',
      onlineProcessing: null,
      verify: false,
    });
  });
});

describe('parseCatalogue', () => {
  test('accepts a minimal entry and fills the defaults', () => {
    const [procedure] = parseCatalogue(YAML.stringify([entry('1.001193')]), FILE);
    expect(procedure).toMatchObject({ code: '1.001193', onlineProcessing: null, verify: false });
  });

  test('accepts an online time shorter than the processing time, in the same unit', () => {
    const [procedure] = parseCatalogue(
      YAML.stringify([entry('1.001193', { onlineProcessing: { amount: 2, unit: 'WORKING_DAYS' } })]),
      FILE,
    );
    expect(procedure.onlineProcessing).toEqual({ amount: 2, unit: 'WORKING_DAYS' });
  });

  // Each rule: the catalogue to parse, the entry index and code the error must name, and its field.
  test.each<[string, Record<string, unknown>[], number, string | null, string, RegExp]>([
    ['a duplicate procedure code', [entry('1.001193'), entry('1.000656'), entry('1.001193')], 2, '1.001193', 'code', /trùng mã với mục \[0\]/],
    [
      'a duplicate document code',
      [
        entry('1.001193', {
          requiredDocuments: [
            { code: 'TO_KHAI', name: 'Tờ khai', required: true },
            { code: 'TO_KHAI', name: 'Tờ khai khác', required: false },
          ],
        }),
      ],
      0,
      '1.001193',
      'requiredDocuments[1].code',
      /trùng mã với requiredDocuments\[0\]/,
    ],
    [
      'an online time longer than the processing time',
      [entry('1.000656'), entry('1.004859', { onlineProcessing: { amount: 5, unit: 'WORKING_DAYS' } })],
      1,
      '1.004859',
      'onlineProcessing.amount',
      /không được dài hơn thời hạn giải quyết \(3 ngày\)/,
    ],
    [
      'an online time in another unit',
      [entry('1.004859', { onlineProcessing: { amount: 2, unit: 'CALENDAR_DAYS' } })],
      0,
      '1.004859',
      'onlineProcessing.unit',
      /cùng đơn vị với processing.unit \(WORKING_DAYS\)/,
    ],
    ['a negative processing time', [entry('1.001193', { processing: { amount: -1, unit: 'WORKING_DAYS' } })], 0, '1.001193', 'processing.amount', /không được âm/],
    ['a fractional processing time', [entry('1.001193', { processing: { amount: 1.5, unit: 'WORKING_DAYS' } })], 0, '1.001193', 'processing.amount', /số nguyên/],
    ['a negative fee', [entry('2.000815', { fees: [{ name: 'Phí chứng thực', amountVnd: -2000 }] })], 0, '2.000815', 'fees[0].amountVnd', /không được âm/],
    ['a fee in fractions of a đồng', [entry('2.000815', { fees: [{ name: 'Phí chứng thực', amountVnd: 1999.5 }] })], 0, '2.000815', 'fees[0].amountVnd', /số nguyên đồng/],
    ['a malformed code', [entry('1.1193')], 0, '1.1193', 'code', /N\.NNNNNN/],
    ['an unknown level', [entry('1.001193', { level: 'DISTRICT' })], 0, '1.001193', 'level', /./],
    ['an unknown unit', [entry('1.001193', { processing: { amount: 1, unit: 'HOURS' } })], 0, '1.001193', 'processing.unit', /./],
    ['a field code with accents', [entry('1.001193', { field: { code: 'HỘ_TỊCH', name: 'Hộ tịch' } })], 0, '1.001193', 'field.code', /CHỮ_HOA/],
    ['a document code in lower case', [entry('1.001193', { requiredDocuments: [{ code: 'to_khai', name: 'Tờ khai', required: true }] })], 0, '1.001193', 'requiredDocuments[0].code', /CHỮ_HOA/],
    ['a missing field', [entry('1.001193', { results: undefined })], 0, '1.001193', 'results', /thiếu trường bắt buộc/],
    ['an unknown key', [entry('1.001193', { agency: 'UBND xã' })], 0, '1.001193', 'agency', /viết sai tên/],
    ['a missing level', [entry('1.001193', { level: undefined })], 0, '1.001193', 'level', /thiếu trường bắt buộc/],
    ['no legal basis', [entry('1.001193', { legalBasis: [] })], 0, '1.001193', 'legalBasis', /căn cứ pháp lý/],
  ])('rejects %s', (_label, entries, index, code, field, message) => {
    const issues = issuesOf(YAML.stringify(entries));
    const issue = issues.find((candidate) => candidate.field === field);
    expect(issue).toBeDefined();
    expect(issue!.entry).toEqual({ index, code });
    expect(issue!.message).toMatch(message);
  });

  test('the error message names the file, the entry and the field', () => {
    const text = YAML.stringify([entry('1.004859', { onlineProcessing: { amount: 5, unit: 'WORKING_DAYS' } })]);
    expect(() => parseCatalogue(text, FILE)).toThrow(`${FILE}: mục [0] (mã 1.004859): onlineProcessing.amount:`);
  });

  test('an unquoted code that YAML reads as a number is named and explained', () => {
    const text = YAML.stringify([entry('1.001193')]).replace('code: "1.001193"', 'code: 1.001193');
    expect(text).toContain('code: 1.001193');
    const [issue] = issuesOf(text);
    expect(issue).toMatchObject({ entry: { index: 0, code: '1.001193' }, field: 'code' });
    expect(issue.message).toMatch(/ngoặc kép/);
  });

  test.each([
    ['a YAML syntax error', '- code: "1.001193"\n  name: [unclosed', /lỗi cú pháp YAML/],
    ['a mapping instead of a list', 'code: "1.001193"\nname: Thủ tục\n', /danh sách YAML/],
    ['an empty list', '[]\n', /không có thủ tục nào/],
  ])('rejects %s at file level', (_label, text, message) => {
    const [issue] = issuesOf(text);
    expect(issue.entry).toBeNull();
    expect(issue.message).toMatch(message);
  });
});
