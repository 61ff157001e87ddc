// Use cases of the procedure catalogue: the national list (reference data, loaded by the owner) and
// the procedures a province performs (its admins enable them, assign an agency, set fee and time).
import type { ProvinceContext } from '../../context/context';
import type { Db } from '../../db/tenant-scope';
import { AppError, ErrorCode, invalidInput } from '../../errors';
import type { Prisma } from '../../generated/prisma/client';
import { foldForSearch } from '../../kernel/text';
import { tenantKey } from '../../kernel/tenant-key';
import { loadNationalCatalogue, PROCEDURE_CODE, type CatalogueProcedure } from './catalogue-file';
import { checkProvinceTerms, type NationalTerms } from './procedure-terms';

type ProvinceProcedureQuery = Omit<Prisma.ProvinceProcedureFindUniqueArgs, 'where'>;

function catalogueRow(procedure: CatalogueProcedure) {
  return {
    code: procedure.code,
    name: procedure.name,
    searchName: foldForSearch(procedure.name),
    fieldCode: procedure.field.code,
    fieldName: procedure.field.name,
    level: procedure.level,
    processingAmount: procedure.processing.amount,
    processingUnit: procedure.processing.unit,
    onlineProcessingAmount: procedure.onlineProcessing?.amount ?? null,
    onlineLevel: procedure.onlineLevel,
    fees: procedure.fees,
    requiredDocuments: procedure.requiredDocuments,
    results: procedure.results,
    legalBasis: procedure.legalBasis,
  };
}

/** Owner task: makes the `procedure` table agree with national-catalogue.yaml (upsert by code). */
export async function syncNationalCatalogue(db: Db, catalogue = loadNationalCatalogue()): Promise<number> {
  for (const procedure of catalogue) {
    const row = catalogueRow(procedure);
    await db.procedure.upsert({ where: { code: procedure.code }, create: row, update: row });
  }
  return catalogue.length;
}

export const asNationalTerms = (procedure: {
  level: NationalTerms['level'];
  processingAmount: number;
  processingUnit: NationalTerms['processingUnit'];
  onlineProcessingAmount: number | null;
  fees: unknown;
}): NationalTerms => ({ ...procedure, fees: procedure.fees as NationalTerms['fees'] });

export interface ProvinceProcedureInput {
  feeVnd?: number | null;
  processingAmount?: number | null;
  onlineProcessingAmount?: number | null;
}

async function findProcedureByCode(ctx: ProvinceContext, code: string) {
  const trimmed = code.trim();
  if (!PROCEDURE_CODE.test(trimmed)) {
    throw invalidInput([{ field: 'procedureCode', message: `Mã thủ tục "${code}" không đúng định dạng N.NNNNNN (vd. 1.001193)` }]);
  }
  const procedure = await ctx.db.procedure.findUnique({ where: { code: trimmed } });
  if (!procedure) {
    throw new AppError(ErrorCode.NOT_FOUND, `Không có thủ tục mã ${trimmed} trong danh mục quốc gia.`, {
      fieldErrors: [{ field: 'procedureCode', message: 'Không có trong danh mục quốc gia' }],
    });
  }
  return procedure;
}

async function findAgency(ctx: ProvinceContext, agencyId: string) {
  const agency = await ctx.db.agency.findUnique({ where: tenantKey(ctx, agencyId) });
  if (!agency) {
    throw new AppError(ErrorCode.NOT_FOUND, 'Không tìm thấy cơ quan.', { fieldErrors: [{ field: 'agencyId', message: 'Không tìm thấy cơ quan' }] });
  }
  return agency;
}

const termsOf = (input: ProvinceProcedureInput) => ({
  feeVnd: input.feeVnd ?? null,
  processingAmount: input.processingAmount ?? null,
  onlineProcessingAmount: input.onlineProcessingAmount ?? null,
});

/** Enables a catalogue procedure in the province at one agency (again, if it had been disabled). */
export async function enableProcedure(
  ctx: ProvinceContext,
  input: ProvinceProcedureInput & { procedureCode: string; agencyId: string },
  query: ProvinceProcedureQuery = {},
) {
  const province = ctx.province;
  const procedure = await findProcedureByCode(ctx, input.procedureCode);
  const agency = await findAgency(ctx, input.agencyId);
  const terms = termsOf(input);
  const errors = checkProvinceTerms(asNationalTerms(procedure), terms, agency.kind);
  if (errors.length) throw invalidInput(errors);
  const key = { tenantId: province.id, procedureId: procedure.id, agencyId: agency.id };
  const row = await ctx.db.provinceProcedure.upsert({
    where: { tenantId_procedureId_agencyId: key },
    create: { ...key, ...terms, enabled: true },
    update: { ...terms, enabled: true },
  });
  return ctx.db.provinceProcedure.findUniqueOrThrow({ ...query, where: tenantKey(ctx, row.id) });
}

/** Changes the fee or times; only the fields given change, null returns to the national value. */
export async function updateProvinceProcedure(ctx: ProvinceContext, id: string, input: ProvinceProcedureInput & { enabled?: boolean | null }, query: ProvinceProcedureQuery = {}) {
  const current = await ctx.db.provinceProcedure.findUnique({ where: tenantKey(ctx, id), include: { procedure: true, agency: true } });
  if (!current) throw new AppError(ErrorCode.NOT_FOUND, 'Không tìm thấy thủ tục của tỉnh.', { fieldErrors: [{ field: 'id', message: 'Không tìm thấy' }] });
  const terms = {
    feeVnd: input.feeVnd === undefined ? current.feeVnd : input.feeVnd,
    processingAmount: input.processingAmount === undefined ? current.processingAmount : input.processingAmount,
    onlineProcessingAmount: input.onlineProcessingAmount === undefined ? current.onlineProcessingAmount : input.onlineProcessingAmount,
  };
  const errors = checkProvinceTerms(asNationalTerms(current.procedure), terms, current.agency.kind);
  if (errors.length) throw invalidInput(errors);
  await ctx.db.provinceProcedure.update({
    where: tenantKey(ctx, id),
    data: { ...terms, ...(input.enabled === undefined || input.enabled === null ? {} : { enabled: input.enabled }) },
  });
  return ctx.db.provinceProcedure.findUniqueOrThrow({ ...query, where: tenantKey(ctx, id) });
}
