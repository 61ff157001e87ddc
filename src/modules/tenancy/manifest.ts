// A province manifest (tenants/<slug>.yaml): everything the platform needs to onboard a province.
// The file is the source of truth; onboarding makes the database agree with it. Validation names the
// file and the field, so a platform admin can fix a manifest without reading this code.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { AgencyKind } from '../../generated/prisma/enums';
import { isRealDate } from '../../kernel/dates';
import { displayPath, formatFieldPath, vietnameseErrorMap, yamlSyntaxIssues } from '../../kernel/yaml-file';
import { DEFAULT_OFFICE_HOURS } from '../../kernel/vietnam-time';
import { AGENCY_CODE, cccd, phoneNumber } from '../../kernel/formats';
import {
  REORGANISATION_DATE,
  currentProvince,
  formerUnitsValidFrom,
  isCurrentCommuneOf,
  isFormerCommuneOf,
  isFormerProvinceName,
} from './unit-catalogue';

export const defaultTenantsDir = path.join(__dirname, '..', '..', '..', 'tenants');

/** Civil-service ranks (ngạch) an admin may be given; codes per Thông tư 02/2021/TT-BNV (verify). */
export const CIVIL_SERVICE_RANKS = {
  '01.001': 'Chuyên viên cao cấp',
  '01.002': 'Chuyên viên chính',
  '01.003': 'Chuyên viên',
  '01.004': 'Cán sự',
  '01.005': 'Nhân viên',
} as const;
export type RankCode = keyof typeof CIVIL_SERVICE_RANKS;

// The kernel's rule for phone numbers, worded as the other manifest messages are.
const PHONE_MESSAGE = 'không phải số điện thoại Việt Nam (di động 10 chữ số, cố định 11 chữ số bắt đầu bằng 02, hoặc dạng +84)';
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

// A field-specific message, except when the field is missing: then the parse-wide "missing" wins.
const unlessMissing = (message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? undefined : message),
});

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'phải là ngày dạng YYYY-MM-DD')
  .refine(isRealDate, 'không phải một ngày có thật');

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'phải là giờ dạng HH:MM (00:00–23:59)');

const officeHoursSchema = z
  .array(z.strictObject({ start: clockTime, end: clockTime }))
  .min(1, 'cần ít nhất một khoảng giờ làm việc')
  .superRefine((periods, ctx) => {
    periods.forEach((period, index) => {
      if (period.start >= period.end) {
        ctx.addIssue({ code: 'custom', path: [index, 'end'], message: `giờ kết thúc phải sau giờ bắt đầu ${period.start}` });
      }
      const previous = periods[index - 1];
      if (previous && period.start < previous.end) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'start'],
          message: `phải theo thứ tự tăng dần và không chồng lên khoảng ${previous.start}–${previous.end}`,
        });
      }
    });
  });

const agencySchema = z.strictObject({
  code: z.string().regex(AGENCY_CODE, 'phải có dạng 000.00.01.H13'),
  name: z.string().trim().min(1),
  kind: z.enum(AgencyKind),
  parent: z.string().optional(),
  unitCode: z.string().regex(/^\d{5}$/, 'phải là mã phường/xã năm chữ số').optional(),
  email: z.email(unlessMissing('không phải địa chỉ thư điện tử hợp lệ')).optional(),
  phone: phoneNumber(PHONE_MESSAGE).optional(),
  address: z.string().trim().min(1).optional(),
});

const adminSchema = z.strictObject({
  fullName: z.string().trim().min(3),
  email: z.email(unlessMissing('không phải địa chỉ thư điện tử hợp lệ')),
  agency: z.string(),
  position: z.string().trim().min(1),
  rankCode: z.enum(Object.keys(CIVIL_SERVICE_RANKS) as [RankCode, ...RankCode[]]).optional(),
  birthDate: isoDate.optional(),
  gender: z.enum(['MALE', 'FEMALE']).optional(),
  idNumber: cccd('số CCCD phải có đúng 12 chữ số').optional(),
  phone: phoneNumber(PHONE_MESSAGE).optional(),
});

const GSO_CODE_MESSAGE = 'phải là hai chữ số, viết trong ngoặc kép (vd. "92")';

const baseSchema = z.strictObject({
  id: z.uuid('phải là một UUID'),
  slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'phải là chữ thường không dấu nối bằng gạch ngang (vd. can-tho)'),
  name: z.string().trim().min(1),
  gsoCode: z.string(unlessMissing(GSO_CODE_MESSAGE)).regex(/^\d{2}$/, GSO_CODE_MESSAGE),
  codeValidFrom: isoDate,
  codeValidTo: isoDate.nullable().default(null),
  unitType: z.enum(['Tỉnh', 'Thành phố Trung Ương']),
  hostNames: z.array(z.string().regex(HOST_NAME, 'không phải tên miền hợp lệ (chữ thường)')).min(1),
  timeZone: z.string().refine(isTimeZone, 'không phải múi giờ IANA (vd. Asia/Ho_Chi_Minh)').default('Asia/Ho_Chi_Minh'),
  officeHours: officeHoursSchema.default(() => DEFAULT_OFFICE_HOURS.map((interval) => ({ ...interval }))),
  status: z.enum(['active', 'merged']),
  mergedInto: z.string().optional(),
  mergedOn: isoDate.optional(),
  mergerResolution: z.string().trim().min(1).optional(),
  formerNames: z.array(z.string().trim().min(1)).default([]),
  /** When the imported pre-2025 communes are taken to have started; defaults to codeValidFrom. */
  formerUnitsValidFrom: isoDate.optional(),
  communeReorganisation: z.strictObject({ resolution: z.string().trim().min(1), effectiveOn: isoDate }).optional(),
  agencies: z.array(agencySchema).min(1, 'cần ít nhất một cơ quan'),
  admin: adminSchema,
});

type BaseManifest = z.infer<typeof baseSchema>;
type IssueSink = (path: (string | number)[], message: string) => void;

function checkMerger(manifest: BaseManifest, report: IssueSink) {
  if (manifest.status === 'merged') {
    if (!manifest.mergedInto) report(['mergedInto'], 'bắt buộc khi status là merged');
    if (!manifest.mergedOn) report(['mergedOn'], 'bắt buộc khi status là merged');
    if (!manifest.mergerResolution) report(['mergerResolution'], 'bắt buộc khi status là merged (vd. 202/2025/QH15)');
    if (!manifest.codeValidTo) report(['codeValidTo'], 'bắt buộc khi status là merged');
    if (manifest.mergedInto === manifest.slug) report(['mergedInto'], 'một tỉnh không thể sáp nhập vào chính nó');
    if (manifest.mergedOn && manifest.codeValidTo && manifest.mergedOn <= manifest.codeValidTo) {
      report(['mergedOn'], `phải sau codeValidTo (${manifest.codeValidTo})`);
    }
  } else {
    for (const field of ['mergedInto', 'mergedOn', 'mergerResolution'] as const) {
      if (manifest[field] !== undefined) report([field], 'chỉ dùng khi status là merged');
    }
    if (manifest.codeValidTo !== null) report(['codeValidTo'], 'phải để trống (null) khi tỉnh đang hoạt động');
  }
  if (manifest.codeValidTo && manifest.codeValidTo < manifest.codeValidFrom) {
    report(['codeValidTo'], `không được trước codeValidFrom (${manifest.codeValidFrom})`);
  }
}

function checkAgainstCatalogue(manifest: BaseManifest, report: IssueSink) {
  if (manifest.status === 'active') {
    const province = currentProvince(manifest.gsoCode);
    if (!province) report(['gsoCode'], `không có tỉnh/thành phố mã ${manifest.gsoCode} trong 34 đơn vị hiện hành`);
    else if (province.placeType !== manifest.unitType) {
      report(['unitType'], `tỉnh mã ${manifest.gsoCode} (${province.name}) là "${province.placeType}"`);
    }
  }
  manifest.formerNames.forEach((name, index) => {
    if (!isFormerProvinceName(name)) {
      report(['formerNames', index], `không có tỉnh cũ "${name}" trong ward_mappings (viết đúng như "Tỉnh Sóc Trăng")`);
    }
  });
  if (manifest.formerNames.length > 0 && formerUnitsValidFrom(manifest) >= REORGANISATION_DATE) {
    report(
      [manifest.formerUnitsValidFrom ? 'formerUnitsValidFrom' : 'codeValidFrom'],
      `các xã cũ phải bắt đầu trước ${REORGANISATION_DATE}: đặt formerUnitsValidFrom`,
    );
  }
  manifest.agencies.forEach((agency, index) => {
    if (agency.kind === 'COMMUNE_COMMITTEE' && !agency.unitCode) {
      report(['agencies', index, 'unitCode'], 'bắt buộc với UBND phường/xã (mã phường/xã)');
    }
    if (!agency.unitCode) return;
    const known =
      manifest.status === 'active'
        ? isCurrentCommuneOf(manifest.gsoCode, agency.unitCode)
        : isFormerCommuneOf(manifest.formerNames, agency.unitCode);
    if (!known) report(['agencies', index, 'unitCode'], `không có phường/xã mã ${agency.unitCode} trong tỉnh này`);
  });
}

function checkAgencyTree(manifest: BaseManifest, report: IssueSink) {
  const indexByCode = new Map<string, number>();
  manifest.agencies.forEach((agency, index) => {
    const first = indexByCode.get(agency.code);
    if (first !== undefined) report(['agencies', index, 'code'], `trùng mã với agencies[${first}]`);
    else indexByCode.set(agency.code, index);
  });
  const parentOf = new Map(manifest.agencies.map((agency) => [agency.code, agency.parent]));
  manifest.agencies.forEach((agency, index) => {
    if (agency.parent === undefined) return;
    if (!indexByCode.has(agency.parent)) {
      report(['agencies', index, 'parent'], `không có cơ quan mã ${agency.parent} trong manifest`);
      return;
    }
    // Walk up; meeting this agency again means a cycle. The walk is bounded by the number of agencies.
    let current: string | undefined = agency.parent;
    for (let steps = 0; current !== undefined && steps <= manifest.agencies.length; steps++) {
      if (current === agency.code) {
        report(['agencies', index, 'parent'], `vòng lặp: ${agency.code} là cấp trên của chính nó`);
        return;
      }
      current = parentOf.get(current);
    }
  });
  if (!indexByCode.has(manifest.admin.agency)) {
    report(['admin', 'agency'], `không có cơ quan mã ${manifest.admin.agency} trong agencies`);
  }
}

export const provinceManifestSchema = baseSchema.superRefine((manifest, ctx) => {
  const report: IssueSink = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  checkMerger(manifest, report);
  checkAgencyTree(manifest, report);
  checkAgainstCatalogue(manifest, report);
});

export type ProvinceManifest = z.infer<typeof provinceManifestSchema>;
export type AgencyManifest = ProvinceManifest['agencies'][number];

// ---------------------------------------------------------------- errors

export interface ManifestIssue {
  path: string;
  message: string;
}

export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ManifestIssue[],
  ) {
    super(issues.map((issue) => `${file}: ${issue.path}: ${issue.message}`).join('\n'));
    this.name = 'ManifestError';
  }
}

/** ['agencies', 2, 'code'] -> "agencies[2].code". */
export const formatPath = (fieldPath: readonly PropertyKey[]) => formatFieldPath(fieldPath, '(tệp)');

// ---------------------------------------------------------------- parsing and loading

export function parseManifest(file: string, text: string): ProvinceManifest {
  const document = YAML.parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ManifestError(file, yamlSyntaxIssues(document).map(({ where, message }) => ({ path: where, message })));
  }
  const data: unknown = document.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ManifestError(file, [{ path: '(tệp)', message: 'manifest phải là một đối tượng YAML (khóa: giá trị)' }]);
  }
  const parsed = provinceManifestSchema.safeParse(data, { error: vietnameseErrorMap });
  if (!parsed.success) {
    throw new ManifestError(
      file,
      parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    );
  }
  return parsed.data;
}

export function loadManifest(file: string): ProvinceManifest {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ManifestError(displayPath(file), [{ path: '(tệp)', message: `không đọc được tệp: ${(error as Error).message}` }]);
  }
  return parseManifest(displayPath(file), text);
}

/**
 * Checks that only a set of manifests can break: ids, slugs, host names and former names are
 * unique, a merger target is one of them and still active, and no two active provinces share a code.
 */
export function checkManifestSet(entries: { file: string; manifest: ProvinceManifest }[]): void {
  const claimed = new Map<string, string>();
  const claim = (file: string, field: string, kind: string, value: string) => {
    const key = `${kind}:${value}`;
    const owner = claimed.get(key);
    if (owner) throw new ManifestError(file, [{ path: field, message: `"${value}" đã dùng trong ${owner}` }]);
    claimed.set(key, file);
  };
  const bySlug = new Map(entries.map((entry) => [entry.manifest.slug, entry.manifest]));
  for (const { file, manifest } of entries) {
    claim(file, 'id', 'id', manifest.id);
    claim(file, 'slug', 'slug', manifest.slug);
    if (manifest.status === 'active') claim(file, 'gsoCode', 'active-code', manifest.gsoCode);
    manifest.hostNames.forEach((host, index) => claim(file, `hostNames[${index}]`, 'host', host));
    manifest.formerNames.forEach((name, index) => claim(file, `formerNames[${index}]`, 'former', name));
    if (manifest.mergedInto) {
      const target = bySlug.get(manifest.mergedInto);
      if (!target) throw new ManifestError(file, [{ path: 'mergedInto', message: `không có manifest nào có slug "${manifest.mergedInto}"` }]);
      if (target.status !== 'active') {
        throw new ManifestError(file, [{ path: 'mergedInto', message: `"${manifest.mergedInto}" cũng đã bị sáp nhập; hãy trỏ tới tỉnh hiện hành` }]);
      }
    }
  }
}

/** Merger targets first, so that onboarding in this order always finds the target in place. */
export function orderForOnboarding<T extends { manifest: ProvinceManifest }>(entries: T[]): T[] {
  return [...entries.filter((entry) => entry.manifest.status === 'active'), ...entries.filter((entry) => entry.manifest.status !== 'active')];
}

export function loadAllManifests(dir = defaultTenantsDir): ProvinceManifest[] {
  const entries = fs
    .readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      return { file: displayPath(file), manifest: loadManifest(file) };
    });
  checkManifestSet(entries);
  return orderForOnboarding(entries).map((entry) => entry.manifest);
}
