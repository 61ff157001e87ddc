// The procedure catalogue: national procedures (public reference data) and the ones each province
// performs. Thin resolvers over procedure.service.
import { builder } from '../../schema/builder';
import { pageSize } from '../../kernel/field-limits';
import { OnlineLevel, PerformingLevel, ProcessingUnit } from '../../generated/prisma/enums';
import { AgencyRef } from '../directory/agency.schema';
import { foldForSearch, likeLiteral } from '../../kernel/text';
import { tenantKey } from '../../kernel/tenant-key';
import type { ProvinceContext } from '../../context/context';
import { asNationalTerms } from './procedure.service';
import { effectiveProcessingTime, nationalFee } from './procedure-terms';
import * as procedures from './procedure.service';
import { loadEntity, type EntityLoader } from '../../schema/entities';

export const PerformingLevelEnum = builder.enumType(PerformingLevel, { name: 'PerformingLevel' });
export const ProcessingUnitEnum = builder.enumType(ProcessingUnit, {
  name: 'ProcessingUnit',
  description: 'Processing time counted in working days (8 office hours each) or in calendar days.',
});
export const OnlineLevelEnum = builder.enumType(OnlineLevel, {
  name: 'OnlineLevel',
  description: 'Online service level under Nghị định 42/2022: FULL (toàn trình) or PARTIAL (một phần).',
});

interface Fee { name: string; amountVnd: number }
interface RequiredDocument { code: string; name: string; required: boolean }

const FeeRef = builder.objectRef<Fee>('Fee').implement({
  fields: (t) => ({ name: t.exposeString('name'), amountVnd: t.exposeInt('amountVnd') }),
});

const RequiredDocumentRef = builder.objectRef<RequiredDocument>('RequiredDocument').implement({
  description: 'A component of the dossier (thành phần hồ sơ).',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'What intake lists in documentsProvided.' }),
    name: t.exposeString('name'),
    required: t.exposeBoolean('required'),
  }),
});

const ProcessingTimeRef = builder.objectRef<{ amount: number; unit: ProcessingUnit }>('ProcessingTime').implement({
  fields: (t) => ({
    amount: t.exposeInt('amount', { description: '0 means the same day (giải quyết trong ngày).' }),
    unit: t.expose('unit', { type: ProcessingUnitEnum }),
  }),
});

export const ProcedureRef = builder.prismaNode('Procedure', {
  description: 'A procedure of the national catalogue (thủ tục hành chính).',
  nullable: true,
  // Select mode: a query loads the columns its fields ask for, not the fees, documents and legal
  // basis of every procedure that a work queue lists by code and name.
  select: { id: true },
  id: { resolve: (procedure) => procedure.id },
  findUnique: (id) => ({ id }),
  fields: (t) => ({
    code: t.exposeString('code', { description: 'National catalogue code, N.NNNNNN.' }),
    // @shareable: a ministry's graph keeps its own copy of the catalogue it publishes and names them too.
    name: t.exposeString('name', { shareable: true }),
    fieldCode: t.exposeString('fieldCode'),
    fieldName: t.exposeString('fieldName', { description: 'Lĩnh vực.' }),
    level: t.expose('level', { type: PerformingLevelEnum }),
    processingTime: t.field({
      type: ProcessingTimeRef,
      select: { processingAmount: true, processingUnit: true },
      resolve: (p) => ({ amount: p.processingAmount, unit: p.processingUnit }),
    }),
    onlineProcessingTime: t.field({
      type: ProcessingTimeRef,
      nullable: true,
      description: 'Shorter time when filed online, where the catalogue sets one.',
      select: { onlineProcessingAmount: true, processingUnit: true },
      resolve: (p) => (p.onlineProcessingAmount === null ? null : { amount: p.onlineProcessingAmount, unit: p.processingUnit }),
    }),
    onlineLevel: t.expose('onlineLevel', { type: OnlineLevelEnum }),
    fees: t.field({ type: [FeeRef], select: { fees: true }, resolve: (p) => p.fees as unknown as Fee[] }),
    requiredDocuments: t.field({ type: [RequiredDocumentRef], select: { requiredDocuments: true }, resolve: (p) => p.requiredDocuments as unknown as RequiredDocument[] }),
    results: t.exposeStringList('results'),
    legalBasis: t.exposeStringList('legalBasis'),
  }),
});

// Federation: the national catalogue code is what every graph knows a procedure by (2.000488, the
// judicial record certificate); the catalogue is national reference data, the same in every province.
const proceduresByCode: EntityLoader<string, { code: string }> = {
  typeName: 'Procedure',
  select: { code: true },
  load: (ctx, codes, query) => ctx.db.procedure.findMany({ ...(query as { select: { code: true } }), where: { code: { in: [...codes] } } }),
  keyOf: (procedure) => procedure.code,
};

builder.asEntity(ProcedureRef, {
  key: builder.selection<{ code: string }>('code'),
  resolveReference: (reference, ctx, info) =>
    loadEntity(ctx, info, proceduresByCode, typeof reference.code === 'string' ? reference.code : null) as never,
});

export const ProvinceProcedureRef = builder.prismaNode('ProvinceProcedure', {
  description: 'A catalogue procedure this province performs, at one agency, with its fee and time.',
  nullable: true,
  id: { resolve: (row) => row.id },
  findUnique: (id, ctx) => tenantKey(ctx, id),
  fields: (t) => ({
    procedure: t.relation('procedure'),
    agency: t.relation('agency'),
    enabled: t.exposeBoolean('enabled'),
    feeVnd: t.int({
      description: "The province's fee, else the sum of the national fees.",
      select: { feeVnd: true, procedure: { select: { fees: true } } },
      resolve: (row) => row.feeVnd ?? nationalFee({ fees: row.procedure.fees as unknown as Fee[] }),
    }),
    processingTime: t.field({
      type: ProcessingTimeRef,
      select: { processingAmount: true, onlineProcessingAmount: true, feeVnd: true, procedure: true },
      resolve: (row) => effectiveProcessingTime(asNationalTerms(row.procedure), row, false),
    }),
    onlineProcessingTime: t.field({
      type: ProcessingTimeRef,
      select: { processingAmount: true, onlineProcessingAmount: true, feeVnd: true, procedure: true },
      resolve: (row) => effectiveProcessingTime(asNationalTerms(row.procedure), row, true),
    }),
  }),
});

const ProcedureFilter = builder.inputType('ProcedureFilter', {
  fields: (t) => ({
    search: t.string({ required: false, description: 'Part of the name or the code; diacritics and case are ignored.' }),
    fieldCode: t.string({ required: false }),
    level: t.field({ type: PerformingLevelEnum, required: false }),
    onlineLevel: t.field({ type: OnlineLevelEnum, required: false }),
  }),
});

type ProcedureFilterShape = { search?: string | null; fieldCode?: string | null; level?: PerformingLevel | null; onlineLevel?: OnlineLevel | null };

function procedureWhere(filter: ProcedureFilterShape | null | undefined) {
  const search = filter?.search?.trim() ?? '';
  const folded = foldForSearch(search);
  return {
    ...(search ? { OR: [{ searchName: { contains: likeLiteral(folded) } }, { code: { startsWith: likeLiteral(search) } }] } : {}),
    fieldCode: filter?.fieldCode ?? undefined,
    level: filter?.level ?? undefined,
    onlineLevel: filter?.onlineLevel ?? undefined,
  };
}

function provinceProcedureWhere(ctx: ProvinceContext, filter: (ProcedureFilterShape & { agencyId?: { id: string } | null; includeDisabled?: boolean | null }) | null | undefined) {
  return {
    agencyId: filter?.agencyId?.id,
    enabled: filter?.includeDisabled ? undefined : true,
    procedure: procedureWhere(filter),
  };
}

const ProvinceProcedureFilter = builder.inputType('ProvinceProcedureFilter', {
  fields: (t) => ({
    search: t.string({ required: false, description: 'Part of the name or the code; diacritics and case are ignored.' }),
    fieldCode: t.string({ required: false }),
    level: t.field({ type: PerformingLevelEnum, required: false }),
    onlineLevel: t.field({ type: OnlineLevelEnum, required: false }),
    agencyId: t.globalID({ required: false, for: [AgencyRef] }),
    includeDisabled: t.boolean({ required: false, description: 'Province admins: also the disabled ones.' }),
  }),
});

builder.queryFields((t) => ({
  procedures: t.prismaConnection({
    type: 'Procedure',
    cursor: 'id',
    skipTypeScopes: true,
    authScopes: { public: true },
    description: 'The national catalogue of administrative procedures.',
    args: { filter: t.arg({ type: ProcedureFilter, required: false }) },
    ...pageSize(50, 200),
    totalCount: (_parent, args, ctx) => ctx.db.procedure.count({ where: procedureWhere(args.filter) }),
    resolve: (query, _root, args, ctx) => ctx.db.procedure.findMany({ ...query, where: procedureWhere(args.filter), orderBy: [{ code: 'asc' }] }),
  }),
  provinceProcedures: t.withAuth({ publicInProvince: true }).prismaConnection({
    type: 'ProvinceProcedure',
    cursor: 'tenantId_id',
    skipTypeScopes: true,
    description: 'The procedures the province performs, and where.',
    args: { filter: t.arg({ type: ProvinceProcedureFilter, required: false }) },
    ...pageSize(50, 200),
    totalCount: (_parent, args, ctx) => ctx.db.provinceProcedure.count({ where: provinceProcedureWhere(ctx, args.filter) }),
    resolve: (query, _root, args, ctx) =>
      ctx.db.provinceProcedure.findMany({
        ...query,
        where: provinceProcedureWhere(ctx, args.filter),
        orderBy: [{ procedure: { code: 'asc' } }, { id: 'asc' }],
      }),
  }),
}));

const provinceTermsFields = (t: PothosSchemaTypes.InputFieldBuilder<PothosTypes, 'InputObject'>) => ({
  feeVnd: t.int({ required: false, description: "The province's fee in VND; null: the national fees." }),
  processingAmount: t.int({ required: false, description: 'Shorter processing time than the national one; null: the national.' }),
  onlineProcessingAmount: t.int({ required: false, description: 'Processing time when filed online.' }),
});
type PothosTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

const EnableProcedureInput = builder.inputType('EnableProcedureInput', {
  fields: (t) => ({
    procedureCode: t.string({ required: true, description: 'National code, e.g. 1.001193.' }),
    agencyId: t.globalID({ required: true, for: [AgencyRef] }),
    ...provinceTermsFields(t),
  }),
});

const UpdateProvinceProcedureInput = builder.inputType('UpdateProvinceProcedureInput', {
  description: 'Only the fields given change; null returns to the national value.',
  fields: (t) => ({ ...provinceTermsFields(t), enabled: t.boolean({ required: false }) }),
});

builder.mutationFields((t) => ({
  enableProcedure: t.withAuth({ provinceAdmin: true }).prismaField({
    type: 'ProvinceProcedure',
    description: 'Performs a catalogue procedure in the province at an agency (re-enables it if disabled).',
    args: { input: t.arg({ type: EnableProcedureInput, required: true }) },
    resolve: (query, _root, { input }, ctx) => procedures.enableProcedure(ctx, { ...input, agencyId: input.agencyId.id }, query),
  }),
  updateProvinceProcedure: t.withAuth({ provinceAdmin: true }).prismaField({
    type: 'ProvinceProcedure',
    args: { id: t.arg.globalID({ required: true, for: [ProvinceProcedureRef] }), input: t.arg({ type: UpdateProvinceProcedureInput, required: true }) },
    resolve: (query, _root, { id, input }, ctx) => procedures.updateProvinceProcedure(ctx, id.id, input, query),
  }),
}));
