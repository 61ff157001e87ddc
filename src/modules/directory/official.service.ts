// Use cases for officials. Every function takes the request context first; the request transaction
// (ctx.db) makes each call all-or-nothing, and row-level security keeps it inside ctx.province.
import type { ProvinceContext } from '../../context/context';
import { withinProvince } from '../../db/tenant-scope';
import { AppError, ErrorCode, invalidInput } from '../../errors';
import type { Prisma } from '../../generated/prisma/client';
import { dateOnly } from '../../kernel/dates';
import { foldForSearch, likeLiteral } from '../../kernel/text';
import { countRows, readPage, type PageSpec, type PlannedQuery } from '../../db/page-sql';
import { vietnamToday } from '../../kernel/vietnam-time';
import { parseOfficialsCsv, type OfficialRowInput } from './official-csv';
import { careerOf, personOf } from './official-transfer';
import { parseNewOfficial, parseOfficialChanges, requireDateNotBefore, type OfficialFields, type OfficialFieldsInput } from './official.inputs';
import { tenantKey } from '../../kernel/tenant-key';

type OfficialQuery = Omit<Prisma.OfficialFindUniqueArgs, 'where'>;

// ---------------------------------------------------------------- the directory's list

export interface OfficialFilter {
  search?: string | null;
  agencyId?: { id: string } | null;
  status?: 'WORKING' | 'TRANSFERRED' | 'RETIRED' | null;
  rankCode?: string | null;
}

export interface OfficialOrder {
  field: 'NAME' | 'CREATED_AT';
  direction?: 'ASC' | 'DESC' | null;
}

/** The officials a filter names, as SQL over `t0` (the official), `tenant_id` first, with its values. */
export function officialFilter(ctx: ProvinceContext, filter: OfficialFilter | null | undefined): Omit<PageSpec, 'orderBy'> {
  const values: unknown[] = [ctx.province.id];
  const terms = ['t0.tenant_id = $1'];
  const value = (given: unknown, cast = '') => (values.push(given), `$${values.length}${cast}`);
  // The name folded as searchName is (no diacritics, lower case); % and _ typed are literal.
  const search = filter?.search ? foldForSearch(filter.search) : '';
  if (search) terms.push(`t0.search_name LIKE ${value(`%${likeLiteral(search)}%`)}`);
  if (filter?.agencyId?.id) terms.push(`t0.agency_id = ${value(filter.agencyId.id, '::uuid')}`);
  if (filter?.status) terms.push(`t0.status = ${value(filter.status, '::"OfficialStatus"')}`);
  if (filter?.rankCode) terms.push(`t0.rank_code = ${value(filter.rankCode)}`);
  return { model: 'Official', name: 'officials', where: terms.join(' AND '), values };
}

/** The page Pothos planned, by name (default) or by creation, then id (see readPage), carrying the count when it is asked for too. */
export function officialsPage(ctx: ProvinceContext, filter: OfficialFilter | null | undefined, order: OfficialOrder | null | undefined, query: PlannedQuery, withCount = false) {
  const direction = order?.direction === 'DESC' ? 'desc' : 'asc';
  const orderBy: PageSpec['orderBy'] = [{ field: order?.field === 'CREATED_AT' ? 'createdAt' : 'searchName', direction }, { field: 'id', direction }];
  const tenantId = ctx.province.id;
  return readPage(ctx.sql, query, { ...officialFilter(ctx, filter), orderBy, withCount }, (ids, selection) =>
    ctx.db.official.findMany({ ...selection, where: { tenantId, id: { in: ids } } } as { where: { tenantId: string } }),
  );
}

export const countOfficials = (ctx: ProvinceContext, filter: OfficialFilter | null | undefined) => countRows(ctx.sql, officialFilter(ctx, filter));

export const notFound = (what: 'official' | 'agency', field: string) =>
  new AppError(ErrorCode.NOT_FOUND, what === 'official' ? 'Không tìm thấy cán bộ.' : 'Không tìm thấy cơ quan.', {
    fieldErrors: [{ field, message: what === 'official' ? 'Không tìm thấy cán bộ' : 'Không tìm thấy cơ quan' }],
  });

const emailTaken = (email: string) =>
  new AppError(ErrorCode.CONFLICT, `Email ${email} đã được dùng cho cán bộ khác.`, {
    fieldErrors: [{ field: 'email', message: 'Email đã được dùng cho cán bộ khác' }],
  });

function toRow(fields: OfficialFields) {
  return {
    ...fields,
    searchName: foldForSearch(fields.fullName),
    birthDate: fields.birthDate ? dateOnly(fields.birthDate) : null,
  };
}

async function findAgency(ctx: ProvinceContext, agencyId: string, field: string) {
  const agency = await ctx.db.agency.findUnique({ where: tenantKey(ctx, agencyId) });
  if (!agency) throw notFound('agency', field);
  return agency;
}

/**
 * `forChange`: a move or a retirement. The row is locked first, so that two of them (or one beside a
 * transfer request) queue, and a pending request to another province holds the official where they are.
 */
async function findWorkingOfficial(ctx: ProvinceContext, id: string, options: { forChange?: boolean } = {}) {
  if (options.forChange) await ctx.db.$queryRaw`SELECT 1 FROM official WHERE tenant_id = ${ctx.province.id}::uuid AND id = ${id}::uuid FOR UPDATE`;
  const official = await ctx.db.official.findUnique({ where: tenantKey(ctx, id), include: { agency: true } });
  if (!official) throw notFound('official', 'id');
  if (official.status !== 'WORKING') {
    throw new AppError(ErrorCode.CONFLICT, 'Cán bộ đã nghỉ hưu hoặc đã chuyển công tác; không thể thay đổi.');
  }
  if (options.forChange) {
    const pending = await ctx.db.officialTransfer.findFirst({ where: { tenantId: ctx.province.id, officialId: id, status: 'PENDING' }, select: { toProvinceName: true } });
    if (pending) {
      throw new AppError(ErrorCode.CONFLICT, `Cán bộ đang chờ ${pending.toProvinceName} trả lời đề nghị chuyển công tác; hãy rút đề nghị trước khi thay đổi.`);
    }
  }
  return official;
}

export async function assertEmailFree(ctx: ProvinceContext, tenantId: string, email: string, exceptId?: string) {
  const holder = await ctx.db.official.findUnique({ where: { tenantId_email: { tenantId, email } }, select: { id: true } });
  if (holder && holder.id !== exceptId) throw emailTaken(email);
}

/** Closes the official's open posting on `endedOn` (the day before the new one starts). */
export async function closeOpenPosting(ctx: ProvinceContext, officialId: string, endedOn: Date, note?: string) {
  await ctx.db.workHistoryEntry.updateMany({
    where: { officialId, endedOn: null },
    data: { endedOn, ...(note ? { note } : {}) },
  });
}

export interface NewOfficialInput extends OfficialFieldsInput {
  agencyId: string;
  startedOn?: Date | null;
  decisionNumber?: string | null;
}

export async function createOfficial(ctx: ProvinceContext, input: NewOfficialInput, query: OfficialQuery = {}) {
  const province = ctx.province;
  const fields = parseNewOfficial(input, ctx.now);
  const agency = await findAgency(ctx, input.agencyId, 'agencyId');
  await assertEmailFree(ctx, province.id, fields.email);
  const official = await ctx.db.official.create({
    data: { ...toRow(fields), tenantId: province.id, agencyId: agency.id },
  });
  await ctx.db.workHistoryEntry.create({
    data: {
      tenantId: province.id,
      officialId: official.id,
      agencyId: agency.id,
      agencyName: agency.name,
      provinceName: province.name,
      position: fields.position,
      startedOn: input.startedOn ?? vietnamToday(ctx.now),
      decisionNumber: input.decisionNumber ?? null,
    },
  });
  return ctx.db.official.findUniqueOrThrow({ ...query, where: tenantKey(ctx, official.id) });
}

export async function updateOfficial(ctx: ProvinceContext, id: string, input: OfficialFieldsInput, query: OfficialQuery = {}) {
  const province = ctx.province;
  const changes = parseOfficialChanges(input, ctx.now);
  const official = await findWorkingOfficial(ctx, id);
  if (changes.email && changes.email !== official.email) await assertEmailFree(ctx, province.id, changes.email, id);
  const data: Prisma.OfficialUncheckedUpdateInput = { ...changes, birthDate: undefined };
  if (changes.fullName) data.searchName = foldForSearch(changes.fullName);
  if (changes.birthDate !== undefined) data.birthDate = changes.birthDate ? dateOnly(changes.birthDate) : null;
  await ctx.db.official.update({ where: tenantKey(ctx, id), data });
  // A new position is a new posting in the same agency: the career history keeps both.
  if (changes.position && changes.position !== official.position) {
    const startedOn = vietnamToday(ctx.now);
    await closeOpenPosting(ctx, id, startedOn);
    await ctx.db.workHistoryEntry.create({
      data: {
        tenantId: province.id,
        officialId: id,
        agencyId: official.agencyId,
        agencyName: official.agency.name,
        provinceName: province.name,
        position: changes.position,
        startedOn,
      },
    });
  }
  return ctx.db.official.findUniqueOrThrow({ ...query, where: tenantKey(ctx, id) });
}

export interface TransferInput {
  /** An agency of the same province; or, for a move to another province, its code with `toProvince`. */
  toAgencyId?: string | null;
  toProvince?: string | null;
  toAgencyCode?: string | null;
  position?: string | null;
  effectiveOn: Date;
  decisionNumber?: string | null;
}

export async function transferOfficial(ctx: ProvinceContext, id: string, input: TransferInput, query: OfficialQuery = {}) {
  const province = ctx.province;
  const official = await findWorkingOfficial(ctx, id, { forChange: true });
  const position = input.position?.trim() || official.position;
  const openPosting = await ctx.db.workHistoryEntry.findFirst({ where: { officialId: id, endedOn: null } });
  requireDateNotBefore('effectiveOn', input.effectiveOn, openPosting?.startedOn ?? null, 'Ngày hiệu lực phải sau ngày bắt đầu vị trí hiện tại');

  if (input.toProvince) return requestTransferToProvince(ctx, official, { ...input, toProvince: input.toProvince, position }, query);
  if (!input.toAgencyId) throw invalidInput([{ field: 'toAgencyId', message: 'Hãy chọn cơ quan chuyển đến' }]);
  const agency = await findAgency(ctx, input.toAgencyId, 'toAgencyId');
  if (agency.id === official.agencyId && position === official.position) {
    throw invalidInput([{ field: 'toAgencyId', message: 'Cán bộ đang công tác tại cơ quan này' }]);
  }
  await closeOpenPosting(ctx, id, input.effectiveOn);
  await ctx.db.workHistoryEntry.create({
    data: {
      tenantId: province.id,
      officialId: id,
      agencyId: agency.id,
      agencyName: agency.name,
      provinceName: province.name,
      position,
      startedOn: input.effectiveOn,
      decisionNumber: input.decisionNumber ?? null,
    },
  });
  await ctx.db.official.update({ where: tenantKey(ctx, id), data: { agencyId: agency.id, position } });
  return ctx.db.official.findUniqueOrThrow({ ...query, where: tenantKey(ctx, id) });
}

/**
 * A move to another province is a request that province answers (official-transfer.service.ts):
 * nothing is written there, and nothing there is read but its public list of agencies. The official
 * keeps working here until it accepts. The request carries the record and career as they are now.
 */
async function requestTransferToProvince(
  ctx: ProvinceContext,
  official: Awaited<ReturnType<typeof findWorkingOfficial>>,
  input: TransferInput & { toProvince: string; position: string },
  query: OfficialQuery,
) {
  const source = ctx.province;
  const target = await ctx.platform.provinces.find(input.toProvince);
  if (!target || target.status !== 'ACTIVE' || target.id === source.id) {
    throw invalidInput([{ field: 'toProvince', message: 'Tỉnh/thành phố chuyển đến không hợp lệ' }]);
  }
  const toAgencyCode = input.toAgencyCode?.trim();
  if (!toAgencyCode) throw invalidInput([{ field: 'toAgencyCode', message: 'Hãy nhập mã định danh cơ quan chuyển đến' }]);
  // Anyone may list a province's agencies (publicInProvince), so this crossing reveals nothing private.
  const agency = await withinProvince(ctx.db, target.id, source.id, () =>
    ctx.db.agency.findUnique({ where: { tenantId_code: { tenantId: target.id, code: toAgencyCode } }, select: { name: true } }),
  );
  if (!agency) throw notFound('agency', 'toAgencyCode');
  const history = await ctx.db.workHistoryEntry.findMany({ where: { officialId: official.id } });
  await ctx.db.officialTransfer.create({
    data: {
      tenantId: source.id,
      officialId: official.id,
      targetTenantId: target.id,
      fullName: official.fullName,
      email: official.email,
      fromProvinceName: source.name,
      fromAgencyName: official.agency.name,
      fromPosition: official.position,
      toProvinceName: target.name,
      toAgencyCode,
      toAgencyName: agency.name,
      position: input.position,
      effectiveOn: input.effectiveOn,
      decisionNumber: input.decisionNumber ?? null,
      person: { ...personOf(official) },
      career: careerOf(history, input.effectiveOn).map((posting) => ({ ...posting })),
      requestedAt: ctx.now,
    },
  });
  return ctx.db.official.findUniqueOrThrow({ ...query, where: tenantKey(ctx, official.id) });
}

export async function retireOfficial(ctx: ProvinceContext, id: string, input: { effectiveOn: Date; decisionNumber?: string | null }, query: OfficialQuery = {}) {
  await findWorkingOfficial(ctx, id, { forChange: true });
  const openPosting = await ctx.db.workHistoryEntry.findFirst({ where: { officialId: id, endedOn: null } });
  requireDateNotBefore('effectiveOn', input.effectiveOn, openPosting?.startedOn ?? null, 'Ngày nghỉ hưu phải sau ngày bắt đầu vị trí hiện tại');
  await closeOpenPosting(ctx, id, input.effectiveOn, input.decisionNumber ? `Nghỉ hưu theo ${input.decisionNumber}` : 'Nghỉ hưu');
  await ctx.db.official.update({ where: tenantKey(ctx, id), data: { status: 'RETIRED' } });
  await ctx.db.officialRole.deleteMany({ where: { officialId: id } });
  return ctx.db.official.findUniqueOrThrow({ ...query, where: tenantKey(ctx, id) });
}

export interface ImportRowReport {
  line: number;
  fullName: string | null;
  errors: { field: string; message: string }[];
}

export interface ImportReport {
  ok: boolean;
  importedCount: number;
  fileErrors: string[];
  rows: ImportRowReport[];
}

/** All or nothing: any error in any row and nothing is written; the report says what to fix. */
export async function importOfficials(ctx: ProvinceContext, csv: string): Promise<ImportReport> {
  const province = ctx.province;
  const parsed = parseOfficialsCsv(csv, ctx.now);
  const valid = parsed.rows.flatMap((row) => (row.values ? [row.values] : []));
  const codes = [...new Set(valid.map((values) => values.agencyCode))];
  const emails = valid.map((values) => values.email);
  // One transaction is one connection: its queries run one after the other anyway.
  const agencies = await ctx.db.agency.findMany({ where: { code: { in: codes } } });
  const taken = await ctx.db.official.findMany({ where: { email: { in: emails } }, select: { email: true } });
  const agencyByCode = new Map(agencies.map((agency) => [agency.code, agency]));
  const takenEmails = new Set(taken.map((official) => official.email));

  const rows: ImportRowReport[] = parsed.rows.map((row) => {
    const errors = [...row.errors];
    if (row.values && !agencyByCode.has(row.values.agencyCode)) {
      errors.push({ field: 'agencyCode', message: `Không có cơ quan mã ${row.values.agencyCode} trong ${province.name}` });
    }
    if (row.values && takenEmails.has(row.values.email)) {
      errors.push({ field: 'email', message: 'Email đã được dùng cho cán bộ khác' });
    }
    return { line: row.line, fullName: row.values?.fullName ?? null, errors };
  });
  const ok = parsed.fileErrors.length === 0 && rows.length > 0 && rows.every((row) => row.errors.length === 0);
  if (!ok) {
    const fileErrors = rows.length === 0 && parsed.fileErrors.length === 0 ? ['Tệp không có dòng dữ liệu nào'] : parsed.fileErrors;
    return { ok, importedCount: 0, fileErrors, rows };
  }

  const startedOn = vietnamToday(ctx.now);
  const created = await ctx.db.official.createManyAndReturn({
    data: valid.map(({ agencyCode, ...fields }: OfficialRowInput) => ({
      ...toRow(fields),
      tenantId: province.id,
      agencyId: agencyByCode.get(agencyCode)!.id,
    })),
    select: { id: true, agencyId: true, position: true },
  });
  const agencyById = new Map(agencies.map((agency) => [agency.id, agency]));
  await ctx.db.workHistoryEntry.createMany({
    data: created.map((official) => ({
      tenantId: province.id,
      officialId: official.id,
      agencyId: official.agencyId,
      agencyName: agencyById.get(official.agencyId)!.name,
      provinceName: province.name,
      position: official.position,
      startedOn,
    })),
  });
  return { ok, importedCount: created.length, fileErrors: [], rows };
}
