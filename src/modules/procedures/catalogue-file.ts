// The national catalogue of administrative procedures (thủ tục hành chính), kept as
// national-catalogue.yaml beside this file: reference data the owner syncs into the database.
// Validation names the file, the entry (index and code) and the field, so whoever updates the list
// from dichvucong.gov.vn can fix it without reading this code. Same style as tenancy/manifest.ts.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import type { ProcessingUnit } from '../calendar/due-date';
import { displayPath, formatFieldPath, vietnameseErrorMap, yamlSyntaxIssues } from '../../kernel/yaml-file';

export type PerformingLevel = 'PROVINCE' | 'COMMUNE';
export type OnlineLevel = 'FULL' | 'PARTIAL';

export interface ProcessingTime {
  amount: number;
  unit: ProcessingUnit;
}

export interface CatalogueProcedure {
  code: string;
  name: string;
  field: { code: string; name: string };
  level: PerformingLevel;
  processing: ProcessingTime;
  /** Only where online submission is shorter; always in the unit of `processing`. */
  onlineProcessing: ProcessingTime | null;
  onlineLevel: OnlineLevel;
  fees: { name: string; amountVnd: number }[];
  requiredDocuments: { code: string; name: string; required: boolean }[];
  results: string[];
  legalBasis: string[];
  /** A value was not confirmed on the portal and needs checking. */
  verify: boolean;
}

/** The national code of a procedure, e.g. 1.001193. */
export const PROCEDURE_CODE = /^\d\.\d{6}$/;
const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

export const nationalCataloguePath = path.join(__dirname, 'national-catalogue.yaml');

// ---------------------------------------------------------------- schema

// A field-specific message, except when the field is missing: then the parse-wide "missing" wins.
const unlessMissing = (message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? undefined : message),
});

const CODE_MESSAGE = 'phải có dạng N.NNNNNN, viết trong ngoặc kép (vd. "1.001193")';
const UPPER_SNAKE_MESSAGE = 'phải là CHỮ_HOA_KHÔNG_DẤU nối bằng gạch dưới (vd. HO_TICH)';

const text = z.string().trim().min(1, 'không được để trống');
const upperSnake = z.string().regex(UPPER_SNAKE, UPPER_SNAKE_MESSAGE);

const PROCESSING_UNITS = ['WORKING_DAYS', 'CALENDAR_DAYS'] as const satisfies readonly ProcessingUnit[];

const processingTime = z.strictObject({
  amount: z
    .number(unlessMissing('phải là một số ngày'))
    .int('phải là số nguyên ngày')
    .min(0, 'không được âm (0 = giải quyết trong ngày)'),
  unit: z.enum(PROCESSING_UNITS),
});

const procedureSchema = z
  .strictObject({
    code: z.string(unlessMissing(CODE_MESSAGE)).regex(PROCEDURE_CODE, CODE_MESSAGE),
    name: text,
    field: z.strictObject({ code: upperSnake, name: text }),
    level: z.enum(['PROVINCE', 'COMMUNE']),
    processing: processingTime,
    onlineProcessing: processingTime.nullable().default(null),
    onlineLevel: z.enum(['FULL', 'PARTIAL']),
    fees: z.array(
      z.strictObject({
        name: text,
        amountVnd: z
          .number(unlessMissing('phải là một số tiền (đồng)'))
          .int('phải là số nguyên đồng')
          .min(0, 'không được âm'),
      }),
    ),
    requiredDocuments: z
      .array(z.strictObject({ code: upperSnake, name: text, required: z.boolean() }))
      .min(1, 'cần ít nhất một thành phần hồ sơ'),
    results: z.array(text).min(1, 'cần ít nhất một kết quả'),
    legalBasis: z.array(text).min(1, 'cần ít nhất một căn cứ pháp lý'),
    verify: z.boolean().default(false),
  })
  .superRefine((procedure, ctx) => {
    const firstIndexOf = new Map<string, number>();
    procedure.requiredDocuments.forEach((document, index) => {
      const first = firstIndexOf.get(document.code);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['requiredDocuments', index, 'code'], message: `trùng mã với requiredDocuments[${first}]` });
      } else firstIndexOf.set(document.code, index);
    });
    const { processing, onlineProcessing } = procedure;
    if (!onlineProcessing) return;
    // The database keeps one unit per procedure, so online time is only comparable in that unit.
    if (onlineProcessing.unit !== processing.unit) {
      ctx.addIssue({
        code: 'custom',
        path: ['onlineProcessing', 'unit'],
        message: `phải cùng đơn vị với processing.unit (${processing.unit})`,
      });
    } else if (onlineProcessing.amount > processing.amount) {
      ctx.addIssue({
        code: 'custom',
        path: ['onlineProcessing', 'amount'],
        message: `không được dài hơn thời hạn giải quyết (${processing.amount} ngày); chỉ ghi khi nộp trực tuyến nhanh hơn`,
      });
    }
  });

const catalogueSchema = z
  .array(procedureSchema, unlessMissing('danh mục phải là một danh sách YAML (mỗi thủ tục bắt đầu bằng "- code: ...")'))
  .min(1, 'danh mục không có thủ tục nào')
  .superRefine((procedures, ctx) => {
    const firstIndexOf = new Map<string, number>();
    procedures.forEach((procedure, index) => {
      const first = firstIndexOf.get(procedure.code);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: [index, 'code'], message: `trùng mã với mục [${first}]` });
      else firstIndexOf.set(procedure.code, index);
    });
  });

// ---------------------------------------------------------------- errors

export interface CatalogueIssue {
  /** The entry the issue is in: its position in the list and its code as written, if any. */
  entry: { index: number; code: string | null } | null;
  /** Path inside the entry, e.g. "processing.amount" or "requiredDocuments[2].code". */
  field: string;
  message: string;
}

/** "test.yaml: mục [2] (mã 1.004859): processing.amount: không được âm". */
function describeIssue(file: string, { entry, field, message }: CatalogueIssue): string {
  const where = entry ? `mục [${entry.index}]${entry.code ? ` (mã ${entry.code})` : ''}: ` : '';
  return `${file}: ${where}${field}: ${message}`;
}

export class CatalogueError extends Error {
  constructor(
    readonly file: string,
    readonly issues: CatalogueIssue[],
  ) {
    super(issues.map((issue) => describeIssue(file, issue)).join('\n'));
    this.name = 'CatalogueError';
  }
}

/** ['requiredDocuments', 2, 'code'] -> "requiredDocuments[2].code". */
const formatField = (fieldPath: readonly PropertyKey[]) => formatFieldPath(fieldPath, '(thủ tục)');

function issueOf(data: unknown[], issuePath: readonly PropertyKey[], message: string): CatalogueIssue {
  const [index, ...fieldPath] = issuePath;
  if (typeof index !== 'number') return { entry: null, field: formatField(issuePath), message };
  const raw = data[index];
  const code = raw !== null && typeof raw === 'object' && 'code' in raw ? (raw as { code: unknown }).code : undefined;
  return {
    entry: { index, code: typeof code === 'string' || typeof code === 'number' ? String(code) : null },
    field: formatField(fieldPath),
    message,
  };
}

// ---------------------------------------------------------------- parsing and loading

export function parseCatalogue(text: string, fileName: string): CatalogueProcedure[] {
  const document = YAML.parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new CatalogueError(fileName, yamlSyntaxIssues(document).map(({ where, message }) => ({ entry: null, field: where, message })));
  }
  const data: unknown = document.toJS();
  if (!Array.isArray(data)) {
    throw new CatalogueError(fileName, [
      { entry: null, field: '(tệp)', message: 'danh mục phải là một danh sách YAML (mỗi thủ tục bắt đầu bằng "- code: ...")' },
    ]);
  }
  const parsed = catalogueSchema.safeParse(data, { error: vietnameseErrorMap });
  if (!parsed.success) {
    throw new CatalogueError(
      fileName,
      // An unknown key is reported at that key, where a misspelt name is easiest to spot.
      parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => issueOf(data, [...issue.path, key], 'trường không có trong danh mục (viết sai tên?)'))
          : [issueOf(data, issue.path, issue.message)],
      ),
    );
  }
  return parsed.data;
}

let cachedCatalogue: CatalogueProcedure[] | undefined;

/** The shipped catalogue, read and validated once per process. */
export function loadNationalCatalogue(): CatalogueProcedure[] {
  cachedCatalogue ??= parseCatalogue(fs.readFileSync(nationalCataloguePath, 'utf8'), displayPath(nationalCataloguePath));
  return cachedCatalogue;
}
