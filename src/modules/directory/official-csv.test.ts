import { PHONE_MESSAGE } from '../../kernel/formats';
import { officialFieldsSchema, parseOfficialsCsv, type OfficialRowInput } from './official-csv';

// 06:30 on Tuesday 5 May 2026 in Vietnam: still 4 May in UTC.
const NOW = new Date('2026-05-05T06:30:00+07:00');

const HEADER =
  'fullName,birthDate,gender,idNumber,agencyCode,position,rankCode,rankName,payStep,payCoefficient,email,phone';

const GOOD_ROW =
  'Nguyễn Văn An,15/03/1985,Nam,092085001234,000.00.01.H13,Chuyên viên,01.003,Chuyên viên,3,"2,67",An.NV@cantho.gov.vn,0912345678';

const GOOD_VALUES: OfficialRowInput = {
  fullName: 'Nguyễn Văn An',
  birthDate: '1985-03-15',
  gender: 'MALE',
  idNumber: '092085001234',
  agencyCode: '000.00.01.H13',
  position: 'Chuyên viên',
  rankCode: '01.003',
  rankName: 'Chuyên viên',
  payStep: 3,
  payCoefficient: 2.67,
  email: 'an.nv@cantho.gov.vn',
  phone: '0912345678',
};

const GOOD_CELLS: Record<keyof OfficialRowInput, string> = {
  fullName: 'Nguyễn Văn An',
  birthDate: '15/03/1985',
  gender: 'Nam',
  idNumber: '092085001234',
  agencyCode: '000.00.01.H13',
  position: 'Chuyên viên',
  rankCode: '01.003',
  rankName: 'Chuyên viên',
  payStep: '3',
  payCoefficient: '2.67',
  email: 'an.nv@cantho.gov.vn',
  phone: '0912345678',
};

/** A one-row file in which `column` holds `value` (quoted when needed). */
function fileWith(column: keyof OfficialRowInput, value: string): string {
  const cells = (HEADER.split(',') as (keyof OfficialRowInput)[]).map((name) => {
    const cell = name === column ? value : GOOD_CELLS[name];
    return /[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
  });
  return `${HEADER}\n${cells.join(',')}\n`;
}

function onlyRow(text: string) {
  const result = parseOfficialsCsv(text, NOW);
  expect(result.fileErrors).toEqual([]);
  expect(result.rows).toHaveLength(1);
  return result.rows[0];
}

describe('parseOfficialsCsv: a good file', () => {
  test('parses and normalises every field', () => {
    const result = parseOfficialsCsv(
      [
        HEADER,
        GOOD_ROW,
        'ĐẶNG THỊ HỒNG,1990-12-01,nữ,,000.00.02.H13,Phó Giám đốc,,,,,hong.dt@cantho.gov.vn,+84 987 654 321',
        '',
      ].join('\n'),
      NOW,
    );
    expect(result.fileErrors).toEqual([]);
    expect(result.rows).toEqual([
      { line: 2, values: GOOD_VALUES, errors: [] },
      {
        line: 3,
        values: {
          fullName: 'ĐẶNG THỊ HỒNG',
          birthDate: '1990-12-01',
          gender: 'FEMALE',
          idNumber: null,
          agencyCode: '000.00.02.H13',
          position: 'Phó Giám đốc',
          rankCode: null,
          rankName: null,
          payStep: null,
          payCoefficient: null,
          email: 'hong.dt@cantho.gov.vn',
          phone: '0987654321',
        },
        errors: [],
      },
    ]);
  });

  test('accepts a UTF-8 byte-order mark before the header', () => {
    expect(onlyRow(`\uFEFF${HEADER}\n${GOOD_ROW}\n`).values).toEqual(GOOD_VALUES);
  });

  test('accepts Windows line endings', () => {
    expect(onlyRow(`${HEADER}\r\n${GOOD_ROW}\r\n`).values).toEqual(GOOD_VALUES);
  });

  test('keeps a comma inside a quoted field', () => {
    const row = onlyRow(fileWith('position', 'Trưởng phòng, kiêm Phó Chánh Văn phòng'));
    expect(row.values?.position).toBe('Trưởng phòng, kiêm Phó Chánh Văn phòng');
  });

  test('keeps an escaped quote inside a quoted field', () => {
    const row = onlyRow(fileWith('rankName', 'Chuyên viên "chính"'));
    expect(row.values?.rankName).toBe('Chuyên viên "chính"');
  });

  test('optional columns may be left out of the header', () => {
    const row = onlyRow('email,fullName,agencyCode,position\nan@x.gov.vn,Lê Văn An,000.00.01.H13,Chuyên viên\n');
    expect(row.values).toEqual({
      fullName: 'Lê Văn An',
      birthDate: null,
      gender: null,
      idNumber: null,
      agencyCode: '000.00.01.H13',
      position: 'Chuyên viên',
      rankCode: null,
      rankName: null,
      payStep: null,
      payCoefficient: null,
      email: 'an@x.gov.vn',
      phone: null,
    });
  });

  test('skips blank lines and rows of empty cells, and keeps counting lines', () => {
    const result = parseOfficialsCsv(`${HEADER}\n\n${GOOD_ROW}\n,,,,,,,,,,,\n`, NOW);
    expect(result.fileErrors).toEqual([]);
    expect(result.rows.map((row) => row.line)).toEqual([3]);
  });

  test('a line break inside a quoted cell: the row is numbered by the line it starts on', () => {
    const result = parseOfficialsCsv(
      `${HEADER}\n${GOOD_ROW.replace('Chuyên viên,01.003', '"Chuyên viên\nkiêm nhiệm",01.003')}\n${GOOD_ROW.replace('An.NV@', 'b@').replace('092085001234', '092085001235')}\n`,
      NOW,
    );
    expect(result.rows.map((row) => [row.line, row.errors])).toEqual([
      [2, []],
      [4, []],
    ]);
    expect(result.rows[0].values?.position).toBe('Chuyên viên kiêm nhiệm');
  });
});

describe('parseOfficialsCsv: field values', () => {
  test.each<[keyof OfficialRowInput, string, unknown]>([
    ['fullName', '  Trần   Thị  Thu Hương ', 'Trần Thị Thu Hương'],
    // decomposed (NFD) Vietnamese is stored precomposed
    ['fullName', 'Phạm Ngọc Ánh'.normalize('NFD'), 'Phạm Ngọc Ánh'],
    ['birthDate', '15/03/1985', '1985-03-15'],
    ['birthDate', '5/3/1985', '1985-03-05'],
    ['birthDate', '29/02/2000', '2000-02-29'],
    ['birthDate', '1985-03-15', '1985-03-15'],
    // today in Vietnam at NOW (06:30), although UTC is still on 4 May
    ['birthDate', '05/05/2026', '2026-05-05'],
    ['birthDate', '', null],
    ['gender', 'Nam', 'MALE'],
    ['gender', 'NAM', 'MALE'],
    ['gender', 'Nữ', 'FEMALE'],
    ['gender', 'NỮ', 'FEMALE'],
    ['gender', 'Nữ'.normalize('NFD'), 'FEMALE'],
    ['gender', 'male', 'MALE'],
    ['gender', 'FEMALE', 'FEMALE'],
    ['gender', '', null],
    ['idNumber', '001099012345', '001099012345'],
    ['idNumber', '', null],
    ['agencyCode', '000.00.01.h13', '000.00.01.H13'],
    ['agencyCode', 'G01.61.04.H13', undefined],
    ['rankCode', '01.002', '01.002'],
    ['rankCode', '06.031a', '06.031a'],
    ['payStep', '1', 1],
    ['payStep', '12', 12],
    ['payCoefficient', '2,34', 2.34],
    ['payCoefficient', '2.34', 2.34],
    ['payCoefficient', '1', 1],
    ['payCoefficient', '10,00', 10],
    ['email', ' Hong.DT@CanTho.Gov.VN ', 'hong.dt@cantho.gov.vn'],
    ['phone', '0912345678', '0912345678'],
    ['phone', '0912 345 678', '0912345678'],
    ['phone', '0912.345.678', '0912345678'],
    ['phone', '+84912345678', '0912345678'],
    ['phone', '+84 (0) 912 345 678', '0912345678'],
    // an office landline (11 digits since 2017), which the import refused before the kernel's rule
    ['phone', '0292 3820 123', '02923820123'],
    ['phone', '', null],
  ])('%s %j → %j', (column, input, expected) => {
    const row = onlyRow(fileWith(column, input));
    if (expected === undefined) {
      expect(row.values).toBeNull();
    } else {
      expect(row.errors).toEqual([]);
      expect(row.values?.[column]).toEqual(expected);
    }
  });
});

describe('parseOfficialsCsv: bad fields', () => {
  test.each<[keyof OfficialRowInput, string, string]>([
    ['fullName', '', 'Họ và tên không được để trống'],
    ['fullName', '   ', 'Họ và tên không được để trống'],
    ['fullName', 'A'.repeat(151), 'Họ và tên dài quá 150 ký tự'],
    ['birthDate', '31/02/1985', 'Ngày sinh không hợp lệ (dạng DD/MM/YYYY hoặc YYYY-MM-DD)'],
    ['birthDate', '1985/03/15', 'Ngày sinh không hợp lệ (dạng DD/MM/YYYY hoặc YYYY-MM-DD)'],
    ['birthDate', '15-03-1985', 'Ngày sinh không hợp lệ (dạng DD/MM/YYYY hoặc YYYY-MM-DD)'],
    ['birthDate', '29/02/1985', 'Ngày sinh không hợp lệ (dạng DD/MM/YYYY hoặc YYYY-MM-DD)'],
    ['birthDate', '13/13/1985', 'Ngày sinh không hợp lệ (dạng DD/MM/YYYY hoặc YYYY-MM-DD)'],
    ['birthDate', '01/01/1850', 'Ngày sinh không hợp lệ (dạng DD/MM/YYYY hoặc YYYY-MM-DD)'],
    ['birthDate', '01/01/2999', 'Ngày sinh không được sau ngày hôm nay'],
    ['birthDate', '06/05/2026', 'Ngày sinh không được sau ngày hôm nay'], // tomorrow in Vietnam at NOW
    ['gender', 'Khác', 'Giới tính phải là Nam hoặc Nữ'],
    ['gender', 'M', 'Giới tính phải là Nam hoặc Nữ'],
    ['idNumber', '09208500123', 'Số CCCD phải gồm 12 chữ số'],
    ['idNumber', '0920850012345', 'Số CCCD phải gồm 12 chữ số'],
    ['idNumber', '09208500123A', 'Số CCCD phải gồm 12 chữ số'],
    ['idNumber', '92085001234', 'Số CCCD phải gồm 12 chữ số'], // a spreadsheet dropped the leading zero
    ['agencyCode', '', 'Mã định danh cơ quan không được để trống'],
    ['agencyCode', '000.00.01', 'Mã định danh cơ quan không hợp lệ (ví dụ 000.00.01.H13)'],
    ['agencyCode', '000.00.01.HH3', 'Mã định danh cơ quan không hợp lệ (ví dụ 000.00.01.H13)'],
    ['agencyCode', '0000.00.01.H13', 'Mã định danh cơ quan không hợp lệ (ví dụ 000.00.01.H13)'],
    ['position', '', 'Chức vụ không được để trống'],
    ['rankCode', '1.003', 'Mã ngạch không hợp lệ (ví dụ 01.003)'],
    ['rankCode', '01003', 'Mã ngạch không hợp lệ (ví dụ 01.003)'],
    ['rankCode', 'V.07.01.03', 'Mã ngạch không hợp lệ (ví dụ 01.003)'],
    ['payStep', '0', 'Bậc lương phải là số nguyên từ 1 đến 12'],
    ['payStep', '13', 'Bậc lương phải là số nguyên từ 1 đến 12'],
    ['payStep', '2.5', 'Bậc lương phải là số nguyên từ 1 đến 12'],
    ['payStep', 'ba', 'Bậc lương phải là số nguyên từ 1 đến 12'],
    ['payStep', '-1', 'Bậc lương phải là số nguyên từ 1 đến 12'],
    ['payCoefficient', '0,99', 'Hệ số lương phải là số từ 1,00 đến 10,00, tối đa 2 chữ số thập phân'],
    ['payCoefficient', '10,01', 'Hệ số lương phải là số từ 1,00 đến 10,00, tối đa 2 chữ số thập phân'],
    ['payCoefficient', '2,345', 'Hệ số lương phải là số từ 1,00 đến 10,00, tối đa 2 chữ số thập phân'],
    ['payCoefficient', 'hai', 'Hệ số lương phải là số từ 1,00 đến 10,00, tối đa 2 chữ số thập phân'],
    ['payCoefficient', '2,3,4', 'Hệ số lương phải là số từ 1,00 đến 10,00, tối đa 2 chữ số thập phân'],
    ['email', '', 'Email không được để trống'],
    ['email', 'an.nv', 'Email không hợp lệ'],
    ['email', 'an.nv@', 'Email không hợp lệ'],
    ['email', 'an nv@cantho.gov.vn', 'Email không hợp lệ'],
    ['email', 'an.nv@cantho', 'Email không hợp lệ'],
    ['phone', '091234567', PHONE_MESSAGE],
    ['phone', '09123456789', PHONE_MESSAGE],
    ['phone', '912345678', PHONE_MESSAGE],
    ['phone', '+8491234567', PHONE_MESSAGE],
    ['phone', '+1 202 555 0100', PHONE_MESSAGE],
    ['phone', '0912abc678', PHONE_MESSAGE],
    ['phone', '0123456789', PHONE_MESSAGE], // no 01x mobile numbers since 2018
    ['phone', '0212345678', PHONE_MESSAGE], // a landline of the old, 10-digit numbering
  ])('%s %j: %s', (column, input, message) => {
    const row = onlyRow(fileWith(column, input));
    expect(row).toEqual({ line: 2, values: null, errors: [{ field: column, message }] });
  });

  test('reports every bad field of a row, one message each', () => {
    const row = onlyRow(`${HEADER}\n,32/01/1990,X,123,H13,,1,,99,0,not-an-email,123\n`);
    expect(row.values).toBeNull();
    expect(row.errors.map((error) => error.field)).toEqual([
      'fullName',
      'birthDate',
      'gender',
      'idNumber',
      'agencyCode',
      'position',
      'rankCode',
      'payStep',
      'payCoefficient',
      'email',
      'phone',
    ]);
  });

  test('a row with the wrong number of cells', () => {
    const result = parseOfficialsCsv(`${HEADER}\nNguyễn Văn An,15/03/1985,Nam\n${GOOD_ROW}\n`, NOW);
    expect(result.fileErrors).toEqual([]);
    expect(result.rows[0]).toEqual({
      line: 2,
      values: null,
      errors: [{ field: '', message: 'Dòng có 3 cột, tiêu đề có 12 cột' }],
    });
    expect(result.rows[1].values).toEqual(GOOD_VALUES);
  });
});

describe('parseOfficialsCsv: duplicates within the file', () => {
  const second = (row: string) => row.replace('Nguyễn Văn An', 'Trần Văn Bình');

  test('a repeated e-mail address (compared lower-cased) is an error on the later row', () => {
    const later = second(GOOD_ROW).replace('An.NV@cantho.gov.vn', 'an.nv@CANTHO.gov.vn').replace('092085001234', '092085009999');
    const result = parseOfficialsCsv(`${HEADER}\n${GOOD_ROW}\n${GOOD_ROW.replace('An.NV@', 'c@').replace('092085001234', '092085007777')}\n${later}\n`, NOW);
    expect(result.rows.map((row) => row.errors)).toEqual([
      [],
      [],
      [{ field: 'email', message: 'Email trùng với dòng 2' }],
    ]);
    expect(result.rows[0].values).not.toBeNull();
    expect(result.rows[2].values).toBeNull();
  });

  test('a repeated CCCD is an error on the later row', () => {
    const later = second(GOOD_ROW).replace('An.NV@', 'binh.tv@');
    const result = parseOfficialsCsv(`${HEADER}\n${GOOD_ROW}\n${later}\n`, NOW);
    expect(result.rows[1]).toEqual({
      line: 3,
      values: null,
      errors: [{ field: 'idNumber', message: 'Số CCCD trùng với dòng 2' }],
    });
  });

  test('both at once, and a third copy names the first line', () => {
    const result = parseOfficialsCsv(`${HEADER}\n${GOOD_ROW}\n${GOOD_ROW}\n${GOOD_ROW}\n`, NOW);
    expect(result.rows.map((row) => row.errors)).toEqual([
      [],
      [
        { field: 'email', message: 'Email trùng với dòng 2' },
        { field: 'idNumber', message: 'Số CCCD trùng với dòng 2' },
      ],
      [
        { field: 'email', message: 'Email trùng với dòng 2' },
        { field: 'idNumber', message: 'Số CCCD trùng với dòng 2' },
      ],
    ]);
  });

  test('a duplicate is found even when the earlier row has other errors', () => {
    const bad = GOOD_ROW.replace('Chuyên viên,01.003', ',01.003');
    const result = parseOfficialsCsv(`${HEADER}\n${bad}\n${GOOD_ROW}\n`, NOW);
    expect(result.rows[0].errors).toEqual([{ field: 'position', message: 'Chức vụ không được để trống' }]);
    expect(result.rows[1].errors.map((error) => error.message)).toEqual([
      'Email trùng với dòng 2',
      'Số CCCD trùng với dòng 2',
    ]);
  });

  test('blank CCCDs are not duplicates of each other', () => {
    const first = fileWith('idNumber', '');
    const secondRow = first.split('\n')[1].replace('an.nv@', 'binh@');
    const result = parseOfficialsCsv(`${first}${secondRow}\n`, NOW);
    expect(result.rows.map((row) => row.errors)).toEqual([[], []]);
  });
});

describe('parseOfficialsCsv: file errors', () => {
  test.each<[string, string, string[]]>([
    ['an empty file', '', ['Tệp CSV trống']],
    ['only a byte-order mark', '\uFEFF', ['Tệp CSV trống']],
    ['a header and no rows', `${HEADER}\n`, ['Tệp CSV không có dòng dữ liệu nào']],
    [
      'a missing required column',
      `${HEADER.replace(',email', '')}\n`,
      ['Thiếu cột bắt buộc: email'],
    ],
    [
      'several missing required columns',
      'fullName,phone\nAn,0912345678\n',
      ['Thiếu cột bắt buộc: agencyCode, position, email'],
    ],
    [
      'an unknown column',
      `${HEADER},note\n`,
      [`Cột không hợp lệ: "note" (các cột: ${HEADER.split(',').join(', ')})`],
    ],
    [
      'a column name in the wrong case',
      HEADER.replace('email', 'Email') + '\n',
      [`Cột không hợp lệ: "Email" (các cột: ${HEADER.split(',').join(', ')})`, 'Thiếu cột bắt buộc: email'],
    ],
    ['a repeated column', `${HEADER},phone\n`, ['Cột "phone" bị lặp lại']],
    ['an unnamed column', `${HEADER},\n`, ['Tiêu đề có cột không tên']],
    ['a quote never closed', `${HEADER}\n"Nguyễn Văn An,15/03/1985\n`, ['Không đọc được tệp CSV (dòng 2): dấu ngoặc kép chưa được đóng']],
    ['text after a closing quote', `${HEADER}\n"Nguyễn" Văn An,15/03/1985\n`, ['Không đọc được tệp CSV (dòng 2): ký tự lạ sau dấu ngoặc kép đóng']],
  ])('%s', (_name, text, fileErrors) => {
    expect(parseOfficialsCsv(text, NOW)).toEqual({ fileErrors, rows: [] });
  });

  test('header names are trimmed but otherwise exact', () => {
    const row = onlyRow(`${HEADER.split(',').join(' , ')}\n${GOOD_ROW}\n`);
    expect(row.values).toEqual(GOOD_VALUES);
  });
});

describe('officialFieldsSchema, as the create/update mutations use it', () => {
  test('takes numbers as numbers', () => {
    const result = officialFieldsSchema(NOW).safeParse({
      ...GOOD_VALUES,
      birthDate: '1985-03-15',
      payStep: 4,
      payCoefficient: 2.67,
    });
    expect(result.success && result.data).toEqual({ ...GOOD_VALUES, payStep: 4 });
  });

  test('refuses a coefficient with three decimals given as a number', () => {
    const result = officialFieldsSchema(NOW).safeParse({ ...GOOD_VALUES, payCoefficient: 2.345 });
    expect(result.success).toBe(false);
  });

  test('partial(): an absent field stays absent, a blank one is cleared', () => {
    const result = officialFieldsSchema(NOW).partial().safeParse({ phone: '+84912345678', rankName: '  ' });
    expect(result.success && result.data).toEqual({ phone: '0912345678', rankName: null });
  });

  test('partial() still refuses a blank required field', () => {
    const result = officialFieldsSchema(NOW).partial().safeParse({ email: '' });
    expect(result.success).toBe(false);
  });
});
