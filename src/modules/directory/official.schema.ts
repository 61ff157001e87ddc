// Officials: the directory's people and the back office's users. Thin resolvers over official.service.
import { builder } from '../../schema/builder';
import { pageSize } from '../../kernel/field-limits';
import { BackOfficeRole, Gender, OfficialStatus } from '../../generated/prisma/enums';
import type { Context, ProvinceContext } from '../../context/context';
import { currentOfficial } from '../../context/current-official';
import { AgencyRef } from './agency.schema';
import { tenantKey } from '../../kernel/tenant-key';
import * as officials from './official.service';
import { recordPersonalDataRead } from '../audit/audit.service';
import { selectsField } from '../../schema/selection';

export const GenderEnum = builder.enumType(Gender, { name: 'Gender' });
export const OfficialStatusEnum = builder.enumType(OfficialStatus, { name: 'OfficialStatus' });
export const BackOfficeRoleEnum = builder.enumType(BackOfficeRole, { name: 'BackOfficeRole' });

// Personal data (ID number, date of birth) is for the official and the province's administrators.
const personalDataScopes = async (official: { id: string }, _args: unknown, ctx: Context) =>
  (await currentOfficial(ctx))?.id === official.id ? true : { provinceAdmin: true };

/** The value, with its read in the audit trail unless the official reads their own. */
async function readPersonalData<T>(ctx: Context, official: { id: string }, field: 'idNumber' | 'birthDate', value: T | null): Promise<T | null> {
  if (value !== null && (await currentOfficial(ctx))?.id !== official.id) recordPersonalDataRead(ctx, `Official.${field}`, `Official:${official.id}`);
  return value;
}

const OfficialRoleRef = builder.prismaObject('OfficialRole', {
  description: 'A back-office role held by an official, scoped to an agency.',
  fields: (t) => ({ role: t.expose('role', { type: BackOfficeRoleEnum }), agency: t.relation('agency') }),
});

const WorkHistoryEntryRef = builder.prismaObject('WorkHistoryEntry', {
  description: 'One posting in a career (quá trình công tác).',
  fields: (t) => ({
    agencyName: t.exposeString('agencyName'),
    provinceName: t.exposeString('provinceName'),
    agency: t.relation('agency', { nullable: true, description: 'Null for postings in another province.' }),
    position: t.exposeString('position'),
    startedOn: t.expose('startedOn', { type: 'Date' }),
    endedOn: t.expose('endedOn', { type: 'Date', nullable: true }),
    decisionNumber: t.exposeString('decisionNumber', { nullable: true }),
    note: t.exposeString('note', { nullable: true }),
  }),
});

export const OfficialRef = builder.prismaNode('Official', {
  description: 'A civil servant or public employee (cán bộ, công chức, viên chức).',
  authScopes: { official: true, provinceAdmin: true },
  // node(id) of a row this request cannot see (another province's) answers null, not an error.
  nullable: true,
  // Select mode: a directory page reads the columns its fields show, not all nineteen.
  select: { id: true },
  id: { resolve: (official) => official.id },
  findUnique: (id, ctx) => tenantKey(ctx, id),
  fields: (t) => ({
    personId: t.exposeID('personId', { description: 'The same person across provinces after a transfer.' }),
    fullName: t.exposeString('fullName'),
    birthDate: t.field({ type: 'Date', nullable: true, authScopes: personalDataScopes, select: { birthDate: true }, resolve: (o, _args, ctx) => readPersonalData(ctx, o, 'birthDate', o.birthDate) }),
    gender: t.expose('gender', { type: GenderEnum, nullable: true }),
    idNumber: t.string({ nullable: true, authScopes: personalDataScopes, select: { idNumber: true }, resolve: (o, _args, ctx) => readPersonalData(ctx, o, 'idNumber', o.idNumber) }),
    agency: t.relation('agency'),
    position: t.exposeString('position'),
    rankCode: t.exposeString('rankCode', { nullable: true }),
    rankName: t.exposeString('rankName', { nullable: true }),
    payStep: t.exposeInt('payStep', { nullable: true }),
    payCoefficient: t.float({ nullable: true, select: { payCoefficient: true }, resolve: (o) => (o.payCoefficient === null ? null : Number(o.payCoefficient)) }),
    email: t.exposeString('email'),
    phone: t.exposeString('phone', { nullable: true }),
    status: t.expose('status', { type: OfficialStatusEnum }),
    roles: t.relation('roles', { type: OfficialRoleRef }),
    workHistory: t.relation('workHistory', { type: WorkHistoryEntryRef, query: { orderBy: { startedOn: 'asc' } } }),
  }),
});

const OfficialSortField = builder.enumType('OfficialSortField', { values: ['NAME', 'CREATED_AT'] as const });
const SortDirection = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });

const OfficialFilter = builder.inputType('OfficialFilter', {
  fields: (t) => ({
    search: t.string({ required: false, description: 'Part of the name; diacritics and case are ignored.' }),
    agencyId: t.globalID({ required: false, for: [AgencyRef] }),
    status: t.field({ type: OfficialStatusEnum, required: false }),
    rankCode: t.string({ required: false }),
  }),
});

const OfficialOrder = builder.inputType('OfficialOrder', {
  fields: (t) => ({
    field: t.field({ type: OfficialSortField, required: true }),
    direction: t.field({ type: SortDirection, required: false, defaultValue: 'ASC' }),
  }),
});

builder.queryFields((t) => ({
  officials: t.withAuth({ official: true, provinceAdmin: true }).prismaConnection({
    type: 'Official',
    cursor: 'tenantId_id',
    skipTypeScopes: true,
    description: 'Officials of the province the request acts in.',
    args: {
      filter: t.arg({ type: OfficialFilter, required: false }),
      orderBy: t.arg({ type: OfficialOrder, required: false }),
    },
    ...pageSize(50, 200),
    totalCount: (_parent, args, ctx) => officials.countOfficials(ctx, args.filter),
    // Rows as Prisma would return them for `query` (the page, the agency, the count and so on in one statement).
    resolve: (query, _root, args, ctx, info) => officials.officialsPage(ctx, args.filter, args.orderBy, query, selectsField(info, 'totalCount')) as Promise<never[]>,
  }),
}));

// ---------------------------------------------------------------- mutations (province admins)

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

const officialFields = <Required extends boolean>(t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>, required: Required) => ({
  fullName: t.string({ required }),
  birthDate: t.field({ type: 'Date', required: false }),
  gender: t.field({ type: GenderEnum, required: false }),
  idNumber: t.string({ required: false, description: 'Citizen ID (CCCD), 12 digits.' }),
  position: t.string({ required, description: 'Chức vụ, e.g. Chuyên viên, Trưởng phòng.' }),
  rankCode: t.string({ required: false, description: 'Mã ngạch, e.g. 01.003.' }),
  rankName: t.string({ required: false }),
  payStep: t.int({ required: false }),
  payCoefficient: t.float({ required: false }),
  email: t.string({ required, description: 'Official public-service mailbox.' }),
  phone: t.string({ required: false }),
});

const CreateOfficialInput = builder.inputType('CreateOfficialInput', {
  fields: (t) => ({
    ...officialFields(t, true),
    agencyId: t.globalID({ required: true, for: [AgencyRef] }),
    startedOn: t.field({ type: 'Date', required: false, description: 'Start of the first posting; default today.' }),
    decisionNumber: t.string({ required: false }),
  }),
});

const UpdateOfficialInput = builder.inputType('UpdateOfficialInput', {
  description: 'Only the fields given change; null clears an optional field.',
  fields: (t) => officialFields(t, false),
});

const TransferOfficialInput = builder.inputType('TransferOfficialInput', {
  description: 'Within the province give toAgencyId; to another province give toProvince (code or slug) and toAgencyCode.',
  fields: (t) => ({
    toAgencyId: t.globalID({ required: false, for: [AgencyRef] }),
    toProvince: t.string({ required: false }),
    toAgencyCode: t.string({ required: false }),
    position: t.string({ required: false, maxLength: 200, description: 'New position; default the current one.' }),
    effectiveOn: t.field({ type: 'Date', required: true }),
    decisionNumber: t.string({ required: false, description: 'Số quyết định, e.g. 125/QĐ-UBND.' }),
  }),
});

const RetireOfficialInput = builder.inputType('RetireOfficialInput', {
  fields: (t) => ({
    effectiveOn: t.field({ type: 'Date', required: true }),
    decisionNumber: t.string({ required: false }),
  }),
});

const FieldErrorRef = builder.objectRef<{ field: string; message: string }>('FieldError').implement({
  fields: (t) => ({ field: t.exposeString('field'), message: t.exposeString('message') }),
});

const ImportRowRef = builder.objectRef<officials.ImportRowReport>('OfficialImportRow').implement({
  fields: (t) => ({
    line: t.exposeInt('line', { description: 'Line in the file (the header is line 1).' }),
    fullName: t.exposeString('fullName', { nullable: true }),
    ok: t.boolean({ resolve: (row) => row.errors.length === 0 }),
    errors: t.field({ type: [FieldErrorRef], resolve: (row) => row.errors }),
  }),
});

const ImportReportRef = builder.objectRef<officials.ImportReport>('OfficialImportReport').implement({
  description: 'All or nothing: when ok is false nothing was imported.',
  fields: (t) => ({
    ok: t.exposeBoolean('ok'),
    importedCount: t.exposeInt('importedCount'),
    fileErrors: t.exposeStringList('fileErrors'),
    rows: t.field({ type: [ImportRowRef], resolve: (report) => report.rows }),
  }),
});

builder.mutationFields((t) => ({
  createOfficial: t.withAuth({ provinceAdmin: true }).prismaField({
    type: 'Official',
    args: { input: t.arg({ type: CreateOfficialInput, required: true }) },
    resolve: (query, _root, { input }, ctx) => officials.createOfficial(ctx, { ...input, agencyId: input.agencyId.id }, query),
  }),
  updateOfficial: t.withAuth({ provinceAdmin: true }).prismaField({
    type: 'Official',
    args: { id: t.arg.globalID({ required: true, for: [OfficialRef] }), input: t.arg({ type: UpdateOfficialInput, required: true }) },
    resolve: (query, _root, { id, input }, ctx) => officials.updateOfficial(ctx, id.id, input, query),
  }),
  transferOfficial: t.withAuth({ provinceAdmin: true }).prismaField({
    type: 'Official',
    description: 'Moves an official to another agency or province; the career history moves along.',
    args: { id: t.arg.globalID({ required: true, for: [OfficialRef] }), input: t.arg({ type: TransferOfficialInput, required: true }) },
    resolve: (query, _root, { id, input }, ctx) =>
      officials.transferOfficial(ctx, id.id, { ...input, toAgencyId: input.toAgencyId?.id ?? null }, query),
  }),
  retireOfficial: t.withAuth({ provinceAdmin: true }).prismaField({
    type: 'Official',
    args: { id: t.arg.globalID({ required: true, for: [OfficialRef] }), input: t.arg({ type: RetireOfficialInput, required: true }) },
    resolve: (query, _root, { id, input }, ctx) => officials.retireOfficial(ctx, id.id, input, query),
  }),
  importOfficials: t.withAuth({ provinceAdmin: true }).field({
    type: ImportReportRef,
    description: 'Imports officials from CSV (UTF-8, header row; columns in the README).',
    // a province's directory in one file; the HTTP body limit (2 MB) comes first for most of it
    args: { csv: t.arg.string({ required: true, maxLength: 1_000_000 }) },
    resolve: (_root, { csv }, ctx) => officials.importOfficials(ctx, csv),
  }),
}));
