// Ministries as callers: their grants (which provinces, fields and indicators), managed by platform
// admins, and the indicators they read across provinces.
//
// A ministry's transaction runs as egov_ministry (context.ts scopeOf): it can read the roll-ups it was
// granted (row-level security compares each row's province and field with its grants) and national
// reference data, and no dossier, applicant, official or agency row at all. This service adds what the
// database cannot know: which indicators each grant allows, and small cells withheld.
import type { Context, ProvinceContext } from '../../context/context';
import type { Db } from '../../db/tenant-scope';
import { AppError, ErrorCode, invalidInput } from '../../errors';
import { recordAudit } from '../audit/audit.service';
import { addFigures, indicatorValue, INDICATORS, noFigures, withSecondarySuppression, type Figures, type Indicator, type IndicatorValue } from './figures';
import { figureLabels } from './figure-labels';
import { monthlyFigures, type FigureGroup, type ProvinceView } from './monthly-figures';
import { periodOf, type Period, type PeriodInput } from './period';

export const MINISTRY_CODE = /^[A-Z][A-Z0-9]{1,15}$/;
const FIELD_CODE = /^[A-Z][A-Z0-9_]{1,80}$/;

// ---------------------------------------------------------------- grants (platform admins, the CLI)

export interface GrantInput {
  ministryCode: string;
  /** Indicators it may read; empty: all of them. */
  indicators: readonly string[];
  /** Fields (lĩnh vực) whose figures it may read; empty: all of them. */
  fieldCodes: readonly string[];
}

export interface GrantView {
  ministryCode: string;
  ministryName: string;
  indicators: Indicator[];
  fieldCodes: string[];
  grantedAt: Date;
  grantedBy: string;
}

/** Pure: the input's mistakes, as field errors. */
export function grantInputErrors(input: GrantInput) {
  const errors: { field: string; message: string }[] = [];
  if (!MINISTRY_CODE.test(input.ministryCode)) errors.push({ field: 'ministryCode', message: 'Mã bộ, ngành gồm chữ in hoa và số, ví dụ BTP' });
  for (const indicator of input.indicators) {
    if (!(INDICATORS as readonly string[]).includes(indicator)) errors.push({ field: 'indicators', message: `Không có chỉ số ${indicator}` });
  }
  for (const field of input.fieldCodes) {
    if (!FIELD_CODE.test(field)) errors.push({ field: 'fieldCodes', message: `Mã lĩnh vực "${field}" không hợp lệ` });
  }
  return errors;
}

const viewOf = (ministry: { code: string; name: string }, grant: { indicators: string[]; fieldCodes: string[]; grantedAt: Date; grantedBy: string }): GrantView => ({
  ministryCode: ministry.code,
  ministryName: ministry.name,
  indicators: grant.indicators as Indicator[],
  fieldCodes: grant.fieldCodes,
  grantedAt: grant.grantedAt,
  grantedBy: grant.grantedBy,
});

const unknownMinistry = (code: string) =>
  new AppError(ErrorCode.NOT_FOUND, `Không có bộ, ngành mã ${code}.`, { fieldErrors: [{ field: 'ministryCode', message: 'Không có bộ, ngành này' }] });

/**
 * Grants a ministry the province of `db`'s scope (replacing an earlier grant). One rule for the API and
 * the CLI: the database's policy on ministry_grant keeps a grant inside the province that made it.
 */
export async function writeGrant(db: Db, tenantId: string, input: GrantInput, grantedBy: string, now: Date): Promise<GrantView> {
  const errors = grantInputErrors(input);
  if (errors.length) throw invalidInput(errors);
  const ministry = await db.ministry.findUnique({ where: { code: input.ministryCode } });
  if (!ministry) throw unknownMinistry(input.ministryCode);
  const fieldCodes = [...new Set(input.fieldCodes)].sort();
  if (fieldCodes.length) {
    const known = await db.procedure.findMany({ where: { fieldCode: { in: fieldCodes } }, select: { fieldCode: true }, distinct: ['fieldCode'] });
    const missing = fieldCodes.filter((code) => !known.some((row) => row.fieldCode === code));
    if (missing.length) throw invalidInput(missing.map((code) => ({ field: 'fieldCodes', message: `Không có lĩnh vực ${code} trong danh mục thủ tục` })));
  }
  const values = { indicators: [...new Set(input.indicators)].sort(), fieldCodes, grantedAt: now, grantedBy };
  await db.ministryGrant.upsert({ where: { ministryId_tenantId: { ministryId: ministry.id, tenantId } }, create: { ministryId: ministry.id, tenantId, ...values }, update: values });
  return viewOf(ministry, values);
}

/** Takes a ministry's grant on the province of `db`'s scope away; false when it had none. */
export async function deleteGrant(db: Db, tenantId: string, ministryCode: string): Promise<boolean> {
  const ministry = await db.ministry.findUnique({ where: { code: ministryCode } });
  if (!ministry) throw unknownMinistry(ministryCode);
  const { count } = await db.ministryGrant.deleteMany({ where: { ministryId: ministry.id, tenantId } });
  return count > 0;
}

const requirePlatformAdmin = (ctx: Context) => {
  if (ctx.caller.kind !== 'platformAdmin') throw new AppError(ErrorCode.FORBIDDEN, 'Chỉ quản trị viên nền tảng được cấp hoặc thu hồi quyền xem chỉ số của bộ, ngành.');
  return ctx.caller.subject;
};

export async function grantMinistry(ctx: ProvinceContext, input: GrantInput): Promise<GrantView> {
  const admin = requirePlatformAdmin(ctx);
  const grant = await writeGrant(ctx.db, ctx.province.id, input, admin, ctx.now);
  recordAudit(ctx, { kind: 'MUTATION', operation: 'grantMinistry', fields: ['MinistryGrant'], targetIds: [grant.ministryCode], inputDigest: null });
  return grant;
}

export async function revokeMinistry(ctx: ProvinceContext, ministryCode: string): Promise<boolean> {
  requirePlatformAdmin(ctx);
  const revoked = await deleteGrant(ctx.db, ctx.province.id, ministryCode);
  if (revoked) recordAudit(ctx, { kind: 'MUTATION', operation: 'revokeMinistry', fields: ['MinistryGrant'], targetIds: [ministryCode], inputDigest: null });
  return revoked;
}

/** Who may read the province's indicators: for its admins and platform admins. */
export async function provinceGrants(ctx: ProvinceContext): Promise<GrantView[]> {
  const grants = await ctx.db.ministryGrant.findMany({ where: { tenantId: ctx.province.id }, include: { ministry: true }, orderBy: { ministry: { code: 'asc' } } });
  return grants.map((grant) => viewOf(grant.ministry, grant));
}

/** The ministries' reads that included the province: what its admins are shown. */
export const readsOfProvince = (ctx: ProvinceContext) => ({ provinceIds: { has: ctx.province.id } });

// ---------------------------------------------------------------- national indicators (ministries)

export type NationalGroup = Extract<FigureGroup, 'PROVINCE' | 'FIELD' | 'PROCEDURE' | 'CHANNEL' | 'MONTH'>;

export interface NationalFilter {
  provinceIds?: readonly string[] | null;
  fieldCodes?: readonly string[] | null;
  procedureCodes?: readonly string[] | null;
  channels?: readonly string[] | null;
}

export interface NationalQuestion {
  period: PeriodInput;
  groupBy: NationalGroup;
  provinceView: ProvinceView;
  indicators?: readonly Indicator[] | null;
  filter?: NationalFilter | null;
}

export interface NationalRow {
  key: string;
  label: string;
  /** The province, when grouped by province. */
  provinceId: string | null;
  values: IndicatorValue[];
}

export interface NationalIndicators {
  period: Period;
  groupBy: NationalGroup;
  provinceView: ProvinceView;
  indicators: Indicator[];
  minimumCell: number;
  /** The provinces the figures are of. */
  provinceIds: string[];
  rows: NationalRow[];
  total: NationalRow;
}

const requireMinistry = (ctx: Context) => {
  if (ctx.caller.kind !== 'ministry') throw new AppError(ErrorCode.FORBIDDEN, 'Chỉ bộ, ngành được cấp quyền mới xem chỉ số toàn quốc.');
};

/** The calling ministry's id and its grants by province (row-level security shows it its own only). */
async function ownGrants(ctx: Context) {
  const grants = await ctx.db.ministryGrant.findMany({ select: { ministryId: true, tenantId: true, indicators: true } });
  if (!grants.length) throw new AppError(ErrorCode.FORBIDDEN, 'Bộ, ngành chưa được cấp quyền xem chỉ số của tỉnh, thành phố nào.');
  return {
    ministryId: grants[0].ministryId,
    byProvince: new Map(grants.map((grant) => [grant.tenantId, grant.indicators.length ? (grant.indicators as Indicator[]) : [...INDICATORS]])),
  };
}

/**
 * The provinces a question reads: those asked for (or all granted) and the provinces merged into them
 * (their history); a province is granted when it or its successor is. An indicator asked for must be
 * granted on every one of them.
 */
async function scopeOfQuestion(ctx: Context, question: NationalQuestion) {
  const { ministryId, byProvince: grants } = await ownGrants(ctx);
  const tenants = await ctx.db.tenant.findMany({ select: { id: true, name: true, mergedIntoId: true } });
  const byId = new Map(tenants.map((tenant) => [tenant.id, tenant]));
  const grantOf = (id: string) => grants.get(id) ?? grants.get(byId.get(id)?.mergedIntoId ?? '');
  const asked = question.filter?.provinceIds ? [...new Set(question.filter.provinceIds)] : [...grants.keys()];
  const ungranted = asked.filter((id) => !grantOf(id));
  if (ungranted.length) {
    const named = ungranted.slice(0, 5).map((id) => byId.get(id)?.name ?? id).join(', ');
    throw new AppError(ErrorCode.FORBIDDEN, `Bộ, ngành chưa được cấp quyền xem chỉ số của ${named}${ungranted.length > 5 ? ` và ${ungranted.length - 5} tỉnh, thành phố khác` : ''}.`, {
      fieldErrors: [{ field: 'filter.provinceIds', message: 'Có tỉnh, thành phố chưa cấp quyền' }],
    });
  }
  const provinceIds = [...new Set([...asked, ...tenants.filter((tenant) => tenant.mergedIntoId && asked.includes(tenant.mergedIntoId)).map((tenant) => tenant.id)])];
  const granted = (indicator: Indicator) => provinceIds.every((id) => grantOf(id)!.includes(indicator));
  const indicators = question.indicators?.length ? [...new Set(question.indicators)] : INDICATORS.filter(granted);
  const refused = indicators.filter((indicator) => !granted(indicator));
  if (refused.length) {
    throw new AppError(ErrorCode.FORBIDDEN, `Bộ, ngành chưa được cấp quyền xem chỉ số ${refused.join(', ')} của mọi tỉnh, thành phố đã chọn.`, {
      fieldErrors: [{ field: 'indicators', message: 'Chỉ số chưa được cấp quyền' }],
    });
  }
  return { ministryId, provinceIds, indicators };
}

async function procedureIdsOf(ctx: Context, codes: readonly string[] | null | undefined) {
  if (!codes) return null;
  // One array parameter, however many codes a caller sends (a Prisma `in` binds one parameter each).
  const procedures = await ctx.sql.rows<{ id: string; code: string }>(`SELECT id, code FROM procedure WHERE code = ANY ($1::text[])`, [[...new Set(codes)]]);
  const known = new Set(procedures.map((procedure) => procedure.code));
  const missing = codes.filter((code) => !known.has(code));
  if (missing.length) throw invalidInput(missing.slice(0, 20).map((code) => ({ field: 'filter.procedureCodes', message: `Không có thủ tục ${code} trong danh mục quốc gia` })));
  return procedures.map((procedure) => procedure.id);
}

/** Indicators across the provinces a ministry was granted, from the monthly roll-ups; small cells withheld. */
export async function nationalIndicators(ctx: Context, question: NationalQuestion, operation = 'nationalIndicators'): Promise<NationalIndicators> {
  requireMinistry(ctx);
  const period = periodOf(question.period, ctx.now);
  const { ministryId, provinceIds, indicators } = await scopeOfQuestion(ctx, question);
  const figures = await monthlyFigures(
    ctx.sql,
    period.months,
    question.groupBy,
    {
      tenantIds: provinceIds,
      fieldCodes: question.filter?.fieldCodes ?? null,
      procedureIds: await procedureIdsOf(ctx, question.filter?.procedureCodes),
      channels: question.filter?.channels ?? null,
    },
    question.provinceView,
  );
  const minimumCell = ctx.platform.config.MINISTRY_MINIMUM_CELL;
  const labels = await figureLabels(ctx, question.groupBy, figures.map((row) => row.key));
  const rowOf = (key: string, label: string, counts: Figures): NationalRow => ({
    key,
    label,
    provinceId: question.groupBy === 'PROVINCE' && key !== 'TOTAL' ? key : null,
    values: indicators.map((indicator) => indicatorValue(indicator, counts, minimumCell)),
  });
  const total = rowOf('TOTAL', 'Tổng cộng', figures.reduce((sum, row) => addFigures(sum, row.figures), noFigures()));
  const shown = figures.map((row) => rowOf(row.key, labels.get(row.key) ?? row.key, row.figures));
  const values = withSecondarySuppression(shown.map((row) => row.values), total.values);
  const rows = shown.map((row, index) => ({ ...row, values: values[index] }));
  await logMinistryRead(ctx, { ministryId, operation, question, indicators, provinceIds });
  return { period, groupBy: question.groupBy, provinceView: question.provinceView, indicators, minimumCell, provinceIds, rows, total };
}

export interface ProvinceYear {
  provinceId: string;
  year: number;
  values: IndicatorValue[];
}

/** One province's year (what merged into it included), every indicator granted on it. */
export async function provinceIndicators(ctx: Context, provinceId: string, year: number): Promise<ProvinceYear> {
  const answer = await nationalIndicators(ctx, { period: { year }, groupBy: 'PROVINCE', provinceView: 'SUCCESSOR', filter: { provinceIds: [provinceId] } }, 'provinceIndicators');
  return { provinceId, year, values: answer.total.values };
}

/** Every ministry read, in its own transaction's log (the one table its role may write). */
async function logMinistryRead(
  ctx: Context,
  read: { ministryId: string; operation: string; question: NationalQuestion; indicators: Indicator[]; provinceIds: string[] },
) {
  const { question } = read;
  // A plain INSERT: the role may add to its log but not read it back (no RETURNING).
  const asked = JSON.stringify({ period: question.period, groupBy: question.groupBy, provinceView: question.provinceView, filter: question.filter ?? null });
  await ctx.db.$executeRaw`
    INSERT INTO ministry_read (id, ministry_id, at, request_id, operation, question, indicators, province_ids)
    VALUES (gen_random_uuid(), ${read.ministryId}::uuid, ${ctx.now}, ${ctx.requestId}, ${read.operation}, ${asked}::jsonb, ${read.indicators}::text[], ${read.provinceIds}::uuid[])`;
}
