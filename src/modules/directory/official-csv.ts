// Bulk import of officials from a CSV file that a province admin exports from a spreadsheet. Pure:
// the caller reads the file and writes the rows. Messages are in Vietnamese because the province
// admin reads them; `line` is the line in the file (the header is line 1), which matches the
// spreadsheet row when no cell holds a line break.
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { isRealDate } from '../../kernel/dates';
import { AGENCY_CODE, AGENCY_CODE_MESSAGE, cccd, phoneNumber } from '../../kernel/formats';
import { vietnamDateOf } from '../../kernel/vietnam-time';

export interface OfficialRowInput {
  fullName: string;
  /** YYYY-MM-DD. */
  birthDate: string | null;
  gender: 'MALE' | 'FEMALE' | null;
  /** Citizen ID (CCCD), 12 digits. */
  idNumber: string | null;
  /** Electronic identifier code of the agency (mã định danh), e.g. 000.00.01.H13. */
  agencyCode: string;
  position: string;
  /** Rank code (mã ngạch), e.g. 01.003. */
  rankCode: string | null;
  rankName: string | null;
  payStep: number | null;
  payCoefficient: number | null;
  /** Lower-cased. */
  email: string;
  /** National form: 0xxxxxxxxx (mobile) or 02xxxxxxxxx (landline). */
  phone: string | null;
}

export interface RowError {
  /** The column, or '' when the row as a whole is wrong. */
  field: string;
  message: string;
}

export interface ParsedRow {
  line: number;
  /** Null when the row has errors. */
  values: OfficialRowInput | null;
  errors: RowError[];
}

export interface ParsedOfficialsCsv {
  /** Problems with the file as a whole (unreadable, bad header); `rows` is then empty. */
  fileErrors: string[];
  rows: ParsedRow[];
}

// ---------------------------------------------------------------- field rules

/** Text is NFC-normalised (Vietnamese typed with combining marks and precomposed looks the same but
 * compares differently) and trimmed; blank means absent. */
function blankToNull(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return value;
  const text = value.normalize('NFC').trim();
  return text === '' ? null : text;
}

const collapseSpaces = (text: string) => text.replace(/\s+/g, ' ');

function required<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankToNull, schema);
}

function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankToNull, schema.nullable());
}

const BIRTH_DATE_MESSAGE = 'Ngày sinh không hợp lệ (dạng DD/MM/YYYY hoặc YYYY-MM-DD)';

/** DD/MM/YYYY (day and month may have one digit) or YYYY-MM-DD → YYYY-MM-DD, or null if invalid. */
export function parseVietnameseDate(text: string): string | null {
  const dayFirst = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = dayFirst ? `${dayFirst[3]}-${dayFirst[2].padStart(2, '0')}-${dayFirst[1].padStart(2, '0')}` : iso ? text : null;
  // Rejects 31/02 and the like, which Date would roll over into the next month.
  return date !== null && isRealDate(date) && date >= '1900' ? date : null;
}

const GENDERS: Record<string, 'MALE' | 'FEMALE'> = { nam: 'MALE', male: 'MALE', 'nữ': 'FEMALE', female: 'FEMALE' };

const PAY_STEP_MESSAGE = 'Bậc lương phải là số nguyên từ 1 đến 12';
const PAY_COEFFICIENT_MESSAGE = 'Hệ số lương phải là số từ 1,00 đến 10,00, tối đa 2 chữ số thập phân';

/** Numbers come as text from a CSV; a value that is not a number stays text and fails as such. */
function toNumber(decimalComma: boolean) {
  return (value: unknown) => {
    if (typeof value !== 'string') return value;
    const text = decimalComma ? value.replace(',', '.') : value;
    return /^\d+(\.\d+)?$/.test(text) ? Number(text) : value;
  };
}

const hasAtMostTwoDecimals = (value: number) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-9;

/**
 * The fields of an official as entered by a person (CSV import, create/update mutations) at `now`:
 * text in, normalised values out. Use `.partial()` for updates: an absent field stays absent, a
 * blank one becomes null.
 */
export const officialFieldsSchema = (now: Date) => z.object({
  fullName: required(
    z
      .string({ error: 'Họ và tên không được để trống' })
      .transform(collapseSpaces)
      .pipe(z.string().max(150, 'Họ và tên dài quá 150 ký tự')),
  ),
  birthDate: optional(
    z.string({ error: BIRTH_DATE_MESSAGE }).transform((text, ctx) => {
      const date = parseVietnameseDate(text);
      if (date === null) {
        ctx.issues.push({ code: 'custom', message: BIRTH_DATE_MESSAGE, input: text });
        return z.NEVER;
      }
      return date;
    })
      // Vietnam's today: at 06:00 there UTC is still on yesterday's date
      .refine((date) => date <= vietnamDateOf(now), 'Ngày sinh không được sau ngày hôm nay'),
  ),
  gender: optional(
    z.preprocess(
      (value) => (typeof value === 'string' ? (GENDERS[value.toLowerCase()] ?? value) : value),
      z.enum(['MALE', 'FEMALE'], { error: 'Giới tính phải là Nam hoặc Nữ' }),
    ),
  ),
  idNumber: optional(cccd()),
  agencyCode: required(
    z
      .string({ error: 'Mã định danh cơ quan không được để trống' })
      .toUpperCase()
      .regex(AGENCY_CODE, AGENCY_CODE_MESSAGE),
  ),
  position: required(
    z
      .string({ error: 'Chức vụ không được để trống' })
      .transform(collapseSpaces)
      .pipe(z.string().max(200, 'Chức vụ dài quá 200 ký tự')),
  ),
  rankCode: optional(
    z.string({ error: 'Mã ngạch không hợp lệ (ví dụ 01.003)' }).regex(/^\d{2}\.\d{3}[a-z]?$/, 'Mã ngạch không hợp lệ (ví dụ 01.003)'),
  ),
  rankName: optional(
    z
      .string({ error: 'Tên ngạch không hợp lệ' })
      .transform(collapseSpaces)
      .pipe(z.string().max(200, 'Tên ngạch dài quá 200 ký tự')),
  ),
  payStep: optional(
    z.preprocess(
      toNumber(false),
      z.number({ error: PAY_STEP_MESSAGE }).int(PAY_STEP_MESSAGE).min(1, PAY_STEP_MESSAGE).max(12, PAY_STEP_MESSAGE),
    ),
  ),
  payCoefficient: optional(
    z.preprocess(
      toNumber(true),
      z
        .number({ error: PAY_COEFFICIENT_MESSAGE })
        .min(1, PAY_COEFFICIENT_MESSAGE)
        .max(10, PAY_COEFFICIENT_MESSAGE)
        .refine(hasAtMostTwoDecimals, PAY_COEFFICIENT_MESSAGE),
    ),
  ),
  email: required(
    z
      .string({ error: 'Email không được để trống' })
      .toLowerCase()
      .pipe(z.email({ error: 'Email không hợp lệ' }).max(254, 'Email không hợp lệ')),
  ),
  phone: optional(phoneNumber()),
});

// The schema's output must be exactly the row type the importer and the mutations work with.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesRowType: Same<z.output<ReturnType<typeof officialFieldsSchema>>, OfficialRowInput> = true;
void schemaMatchesRowType;

// ---------------------------------------------------------------- the file

export const OFFICIAL_CSV_COLUMNS = [
  'fullName',
  'birthDate',
  'gender',
  'idNumber',
  'agencyCode',
  'position',
  'rankCode',
  'rankName',
  'payStep',
  'payCoefficient',
  'email',
  'phone',
] as const satisfies readonly (keyof OfficialRowInput)[];

type Column = (typeof OFFICIAL_CSV_COLUMNS)[number];

/** Columns whose field is required; the others may be left out of the file altogether. */
export const REQUIRED_OFFICIAL_CSV_COLUMNS: readonly Column[] = ['fullName', 'agencyCode', 'position', 'email'];

const CSV_ERROR_MESSAGES: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'dấu ngoặc kép chưa được đóng',
  CSV_INVALID_CLOSING_QUOTE: 'ký tự lạ sau dấu ngoặc kép đóng',
};

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

function readRecords(text: string): CsvRecord[] | string {
  // One line ending throughout, so that line numbers are right whatever mix the file has.
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  try {
    return parse(normalised, {
      delimiter: ',',
      record_delimiter: '\n',
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as CsvRecord[];
  } catch (error) {
    const { code, lines } = error as { code?: string; lines?: number };
    const reason = (code && CSV_ERROR_MESSAGES[code]) ?? 'định dạng CSV không hợp lệ';
    return `Không đọc được tệp CSV${lines ? ` (dòng ${lines})` : ''}: ${reason}`;
  }
}

function checkHeader(header: string[]): string[] {
  const errors: string[] = [];
  const known = new Set<string>(OFFICIAL_CSV_COLUMNS);
  const seen = new Set<string>();
  for (const name of header) {
    if (name === '') errors.push('Tiêu đề có cột không tên');
    else if (!known.has(name)) errors.push(`Cột không hợp lệ: "${name}" (các cột: ${OFFICIAL_CSV_COLUMNS.join(', ')})`);
    else if (seen.has(name)) errors.push(`Cột "${name}" bị lặp lại`);
    seen.add(name);
  }
  const missing = REQUIRED_OFFICIAL_CSV_COLUMNS.filter((name) => !seen.has(name));
  if (missing.length) errors.push(`Thiếu cột bắt buộc: ${missing.join(', ')}`);
  return errors;
}

/** The line a record starts on: csv-parse counts to its end, and quoted cells may hold line breaks. */
function startLine({ record, info }: CsvRecord): number {
  const breaksInside = record.reduce((count, cell) => count + (cell.match(/\n/g)?.length ?? 0), 0);
  return info.lines - breaksInside;
}

/** Parses and validates an officials CSV (UTF-8, optional BOM, comma-separated, header row first) imported at `now`. */
export function parseOfficialsCsv(text: string, now: Date): ParsedOfficialsCsv {
  const fieldsSchema = officialFieldsSchema(now);
  const records = readRecords(text);
  if (typeof records === 'string') return { fileErrors: [records], rows: [] };
  if (records.length === 0) return { fileErrors: ['Tệp CSV trống'], rows: [] };

  const [headerRecord, ...dataRecords] = records;
  const header = headerRecord.record.map((name) => name.trim());
  const headerErrors = checkHeader(header);
  if (headerErrors.length) return { fileErrors: headerErrors, rows: [] };

  // A spreadsheet often exports trailing rows of empty cells.
  const filled = dataRecords.filter(({ record }) => record.some((cell) => cell.trim() !== ''));
  if (filled.length === 0) return { fileErrors: ['Tệp CSV không có dòng dữ liệu nào'], rows: [] };

  const lineOfEmail = new Map<string, number>();
  const lineOfIdNumber = new Map<string, number>();
  const rows = filled.map((csvRecord): ParsedRow => {
    const line = startLine(csvRecord);
    const { record } = csvRecord;
    if (record.length !== header.length) {
      return {
        line,
        values: null,
        errors: [{ field: '', message: `Dòng có ${record.length} cột, tiêu đề có ${header.length} cột` }],
      };
    }
    const input = Object.fromEntries(header.map((name, index) => [name, record[index]]));
    const errors: RowError[] = [];
    const result = fieldsSchema.safeParse(input);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = String(issue.path[0] ?? '');
        // One message per field is enough to fix it.
        if (!errors.some((error) => error.field === field)) errors.push({ field, message: issue.message });
      }
    }

    // Duplicates are judged on the normalised values, so that "A@x.vn" and "a@x.vn" collide.
    const email = fieldsSchema.shape.email.safeParse(input.email);
    if (email.success) {
      const earlier = lineOfEmail.get(email.data);
      if (earlier !== undefined) errors.push({ field: 'email', message: `Email trùng với dòng ${earlier}` });
      else lineOfEmail.set(email.data, line);
    }
    const idNumber = fieldsSchema.shape.idNumber.safeParse(input.idNumber);
    if (idNumber.success && idNumber.data !== null) {
      const earlier = lineOfIdNumber.get(idNumber.data);
      if (earlier !== undefined) errors.push({ field: 'idNumber', message: `Số CCCD trùng với dòng ${earlier}` });
      else lineOfIdNumber.set(idNumber.data, line);
    }

    return { line, values: result.success && errors.length === 0 ? result.data : null, errors };
  });
  return { fileErrors: [], rows };
}
