// Indicators of Quyết định 766/QĐ-TTg for ministries across provinces, and the grants that allow them.
// Aggregates only: a ministry's transaction cannot read a dossier, an applicant or an official.
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../schema/builder';
import { pageSize } from '../../kernel/field-limits';
import { DossierChannel } from '../../generated/prisma/enums';
import { ProvinceRef } from '../provinces/province.schema';
import { INDICATOR_DEFINITIONS, INDICATORS, type IndicatorValue } from './figures';
import * as ministries from './ministry.service';

export const PeriodInputRef = builder.inputType('PeriodInput', {
  description: 'A year, or one of its quarters or months.',
  fields: (t) => ({
    year: t.int({ required: true }),
    quarter: t.int({ required: false }),
    month: t.int({ required: false }),
  }),
});

const IndicatorEnum = builder.enumType('Indicator', {
  description: 'An indicator of the index for serving citizens and businesses (Quyết định 766/QĐ-TTg) that the data allows.',
  values: Object.fromEntries(INDICATORS.map((indicator) => [indicator, { description: INDICATOR_DEFINITIONS[indicator].name }])) as Record<
    (typeof INDICATORS)[number],
    { description: string }
  >,
});

const NationalGroupEnum = builder.enumType('NationalGroup', { values: ['PROVINCE', 'FIELD', 'PROCEDURE', 'CHANNEL', 'MONTH'] as const });

const ProvinceViewEnum = builder.enumType('ProvinceView', {
  description: 'Whose figures a province merged in the 2025 reorganisation has.',
  values: {
    RECORDED: { description: 'The province that held each dossier: a merged province has its own figures up to its merger, its successor after.' },
    SUCCESSOR: { description: "Today's provinces: a merged province's figures count under its successor, before the merger too." },
  },
});

const ChannelEnum = builder.enumType(DossierChannel, { name: 'IndicatorChannel', description: 'How dossiers were filed (as DossierChannel).' });

export const IndicatorValueRef = builder.objectRef<IndicatorValue>('IndicatorValue').implement({
  fields: (t) => ({
    indicator: t.expose('indicator', { type: IndicatorEnum }),
    name: t.string({ resolve: (value) => INDICATOR_DEFINITIONS[value.indicator].name }),
    value: t.exposeFloat('value', { nullable: true, description: 'A share from 0 to 1 (SATISFACTION: the average rating, 1–5); null when there is nothing to count or it is suppressed.' }),
    base: t.exposeInt('base', { nullable: true, description: 'How many dossiers (status changes for PORTAL_SYNC, ratings for SATISFACTION) the value is over.' }),
    suppressed: t.exposeBoolean('suppressed', { description: 'Withheld: fewer dossiers than minimumCell, so that no applicant can be singled out.' }),
  }),
});

const NationalRowRef = builder.objectRef<ministries.NationalRow>('NationalIndicatorRow').implement({
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Province id, field code, procedure id, channel or month (YYYY-MM); TOTAL for the total.' }),
    label: t.exposeString('label'),
    province: t.prismaField({
      type: 'Tenant',
      nullable: true,
      description: 'When grouped by province.',
      resolve: (query, row, _args, ctx) => (row.provinceId ? ctx.db.tenant.findUnique({ ...query, where: { id: row.provinceId } }) : null),
    }),
    values: t.field({ type: [IndicatorValueRef], resolve: (row) => row.values }),
  }),
});

const NationalIndicatorsRef = builder.objectRef<ministries.NationalIndicators>('NationalIndicators').implement({
  fields: (t) => ({
    periodLabel: t.string({ resolve: (answer) => answer.period.label }),
    periodStart: t.field({ type: 'DateTime', resolve: (answer) => answer.period.start }),
    periodEnd: t.field({ type: 'DateTime', resolve: (answer) => answer.period.end }),
    groupBy: t.expose('groupBy', { type: NationalGroupEnum }),
    provinceView: t.expose('provinceView', { type: ProvinceViewEnum }),
    indicators: t.field({ type: [IndicatorEnum], resolve: (answer) => answer.indicators }),
    minimumCell: t.exposeInt('minimumCell', { description: 'Figures over fewer dossiers than this are suppressed (MINISTRY_MINIMUM_CELL).' }),
    provinces: t.prismaField({
      type: ['Tenant'],
      description: 'The provinces the figures are of.',
      resolve: (query, answer, _args, ctx) => ctx.db.tenant.findMany({ ...query, where: { id: { in: answer.provinceIds } }, orderBy: { gsoCode: 'asc' } }),
    }),
    rows: t.field({ type: [NationalRowRef], resolve: (answer) => answer.rows }),
    total: t.field({ type: NationalRowRef, resolve: (answer) => answer.total }),
  }),
});

const NationalFilterInput = builder.inputType('NationalIndicatorFilter', {
  fields: (t) => ({
    provinceIds: t.globalIDList({ required: false, for: [ProvinceRef], description: 'Provinces to read (default: every one granted).' }),
    fieldCodes: t.stringList({ required: false, description: 'Fields (lĩnh vực), e.g. HO_TICH.' }),
    procedureCodes: t.stringList({ required: false, description: 'National procedure codes, e.g. 1.001193.' }),
    channels: t.field({ type: [ChannelEnum], required: false }),
  }),
});

builder.queryFields((t) => ({
  nationalIndicators: t.withAuth({ ministry: true }).field({
    type: NationalIndicatorsRef,
    description:
      "Indicators across the provinces the calling ministry was granted, read from the monthly roll-ups. Ministry tokens only; every read is logged. Figures over fewer than minimumCell dossiers are suppressed.",
    args: {
      period: t.arg({ type: PeriodInputRef, required: true }),
      groupBy: t.arg({ type: NationalGroupEnum, required: false, defaultValue: 'PROVINCE' }),
      provinceView: t.arg({ type: ProvinceViewEnum, required: false, defaultValue: 'RECORDED' }),
      indicators: t.arg({ type: [IndicatorEnum], required: false, description: 'Default: every indicator granted on all the provinces read.' }),
      filter: t.arg({ type: NationalFilterInput, required: false }),
    },
    resolve: (_root, args, ctx) =>
      ministries.nationalIndicators(ctx, {
        period: args.period,
        groupBy: args.groupBy ?? 'PROVINCE',
        provinceView: args.provinceView ?? 'RECORDED',
        indicators: args.indicators,
        filter: args.filter && {
          provinceIds: args.filter.provinceIds?.map((id) => id.id),
          fieldCodes: args.filter.fieldCodes,
          procedureCodes: args.filter.procedureCodes,
          channels: args.filter.channels,
        },
      }),
  }),
}));

// ---------------------------------------------------------------- one province's year, as an entity

const ProvinceIndicatorsRef = builder.objectRef<ministries.ProvinceYear>('ProvinceIndicators').implement({
  description:
    "A province's indicators for a year (with the provinces merged into it), as the calling ministry was granted them. A federation entity keyed by the province's id and the year, for a ministry's graph to refer to.",
  fields: (t) => ({
    provinceId: t.id({ resolve: (indicators) => encodeGlobalID('Province', indicators.provinceId) }),
    year: t.exposeInt('year'),
    province: t.prismaField({ type: 'Tenant', resolve: (query, indicators, _args, ctx) => ctx.db.tenant.findUniqueOrThrow({ ...query, where: { id: indicators.provinceId } }) }),
    values: t.field({ type: [IndicatorValueRef], resolve: (indicators) => indicators.values }),
  }),
});

/** A Province global id's uuid, or null when it is not one. */
const provinceUuid = (globalId: string): string | null => {
  try {
    const { typename, id } = decodeGlobalID(globalId);
    return typename === 'Province' ? id : null;
  } catch {
    return null;
  }
};

builder.asEntity(ProvinceIndicatorsRef, {
  key: builder.selection<{ provinceId: string; year: number }>('provinceId year'),
  resolveReference: (reference, ctx) => {
    const provinceId = typeof reference.provinceId === 'string' ? provinceUuid(reference.provinceId) : null;
    return provinceId && Number.isInteger(reference.year) ? ministries.provinceIndicators(ctx, provinceId, reference.year) : null;
  },
});

builder.queryFields((t) => ({
  provinceIndicators: t.withAuth({ ministry: true }).field({
    type: ProvinceIndicatorsRef,
    description: "One province's indicators for a year, as nationalIndicators reads them. Ministry tokens only; logged.",
    args: { provinceId: t.arg.globalID({ required: true, for: [ProvinceRef] }), year: t.arg.int({ required: true }) },
    resolve: (_root, args, ctx) => ministries.provinceIndicators(ctx, args.provinceId.id, args.year),
  }),
}));

// ---------------------------------------------------------------- grants

const MinistryGrantRef = builder.objectRef<ministries.GrantView>('MinistryGrant').implement({
  description: "What a ministry may read of the province's indicators.",
  fields: (t) => ({
    ministryCode: t.exposeString('ministryCode'),
    ministryName: t.exposeString('ministryName'),
    indicators: t.field({ type: [IndicatorEnum], description: 'Empty: every indicator.', resolve: (grant) => grant.indicators }),
    fieldCodes: t.exposeStringList('fieldCodes', { description: 'Empty: every field.' }),
    grantedAt: t.expose('grantedAt', { type: 'DateTime' }),
    grantedBy: t.exposeString('grantedBy'),
  }),
});

const GrantInput = builder.inputType('MinistryGrantInput', {
  fields: (t) => ({
    ministryCode: t.string({ required: true, maxLength: 16, description: 'e.g. BTP (Bộ Tư pháp).' }),
    indicators: t.field({ type: [IndicatorEnum], required: false, description: 'Default: every indicator.' }),
    fieldCodes: t.stringList({ required: false, description: 'Default: every field.' }),
  }),
});

builder.prismaObject('MinistryRead', {
  description: "A ministry's read of indicators that included the province: who asked what, and when.",
  fields: (t) => ({
    ministryCode: t.string({ select: { ministry: { select: { code: true } } }, resolve: (read) => read.ministry.code }),
    ministryName: t.string({ select: { ministry: { select: { name: true } } }, resolve: (read) => read.ministry.name }),
    at: t.expose('at', { type: 'DateTime' }),
    operation: t.exposeString('operation', { nullable: true }),
    question: t.string({ select: { question: true }, description: 'The period, grouping, view and filter asked for, as JSON.', resolve: (read) => JSON.stringify(read.question) }),
    indicators: t.exposeStringList('indicators'),
  }),
});

builder.queryFields((t) => ({
  ministryReads: t.withAuth({ provinceAdmin: true }).prismaConnection({
    type: 'MinistryRead',
    cursor: 'id',
    description: "The ministries' reads of indicators that included the province, newest first.",
    ...pageSize(50, 200),
    totalCount: (_parent, _args, ctx) => ctx.db.ministryRead.count({ where: ministries.readsOfProvince(ctx) }),
    resolve: (query, _root, _args, ctx) => ctx.db.ministryRead.findMany({ ...query, where: ministries.readsOfProvince(ctx), orderBy: [{ at: 'desc' }, { id: 'desc' }] }),
  }),
  ministryGrants: t.withAuth({ provinceAdmin: true }).field({
    type: [MinistryGrantRef],
    description: "The ministries that may read the province's indicators, and what.",
    resolve: (_root, _args, ctx) => ministries.provinceGrants(ctx),
  }),
}));

builder.mutationFields((t) => ({
  grantMinistry: t.withAuth({ provinceAdmin: true }).field({
    type: MinistryGrantRef,
    description: "Lets a ministry read the province's indicators (replacing its earlier grant). Platform admins only, acting in the province (X-Province).",
    args: { input: t.arg({ type: GrantInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      ministries.grantMinistry(ctx, { ministryCode: input.ministryCode, indicators: input.indicators ?? [], fieldCodes: input.fieldCodes ?? [] }),
  }),
  revokeMinistry: t.withAuth({ provinceAdmin: true }).boolean({
    description: "Takes a ministry's grant on the province away; false when it had none. Platform admins only.",
    args: { ministryCode: t.arg.string({ required: true }) },
    resolve: (_root, { ministryCode }, ctx) => ministries.revokeMinistry(ctx, ministryCode),
  }),
}));
