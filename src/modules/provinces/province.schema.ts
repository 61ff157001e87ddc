// Provinces (tenants) and administrative units: national reference data, readable by anyone.
import { builder } from '../../schema/builder';
import { pageSize } from '../../kernel/field-limits';
import { TenantStatus, UnitLevel } from '../../generated/prisma/enums';
import { likeLiteral } from '../../kernel/text';
import { dateOnly, isoDateOf, isRealDate } from '../../kernel/dates';
import { loadEntity, rowIdOf, type EntityLoader } from '../../schema/entities';
import type { Tenant } from '../../generated/prisma/client';

export const ProvinceStatusEnum = builder.enumType(TenantStatus, { name: 'ProvinceStatus' });
export const UnitLevelEnum = builder.enumType(UnitLevel, { name: 'UnitLevel' });

interface OfficeHours {
  start: string;
  end: string;
}
const OfficeHoursRef = builder.objectRef<OfficeHours>('OfficeHours').implement({
  description: 'One opening period of a working day, local time (HH:MM).',
  fields: (t) => ({ start: t.exposeString('start'), end: t.exposeString('end') }),
});

export const ProvinceRef = builder.prismaNode('Tenant', {
  name: 'Province',
  description: 'A province or centrally-run city: one tenant of the platform, current or historical.',
  // node(id) of a row this request cannot see (another province's) answers null, not an error.
  nullable: true,
  id: { resolve: (province) => province.id },
  findUnique: (id) => ({ id }),
  fields: (t) => ({
    slug: t.exposeString('slug'),
    // @shareable: a ministry's graph that lists provinces (its rankings) names them too. The key
    // fields (gsoCode, codeValidFrom) are shareable as keys.
    name: t.exposeString('name', { shareable: true }),
    gsoCode: t.exposeString('gsoCode', { description: 'Two-digit GSO code, valid over codeValidFrom..codeValidTo.' }),
    codeValidFrom: t.expose('codeValidFrom', { type: 'Date' }),
    codeValidTo: t.expose('codeValidTo', { type: 'Date', nullable: true }),
    status: t.expose('status', { type: ProvinceStatusEnum }),
    mergedInto: t.relation('mergedInto', { nullable: true }),
    mergedOn: t.expose('mergedOn', { type: 'Date', nullable: true }),
    mergedFrom: t.relation('mergedFrom', { description: 'Provinces merged into this one.' }),
    timeZone: t.exposeString('timeZone'),
    officeHours: t.field({ type: [OfficeHoursRef], resolve: (province) => province.officeHours as unknown as OfficeHours[] }),
    unit: t.relation('unit'),
  }),
});

// Federation: another graph refers to a province by our id, or by its GSO code and the day that code
// became its own: codes were reused in the 2025 reorganisation (92 was Cần Thơ's before and after, 93
// Hậu Giang's until it merged), so a code alone may name two provinces.
const provincesById: EntityLoader<string, Tenant> = {
  typeName: 'Province',
  load: (ctx, ids, query) => ctx.db.tenant.findMany({ ...query, where: { id: { in: [...ids] } } }),
  keyOf: (province) => province.id,
};

const codeKey = (gsoCode: string, validFrom: string) => `${gsoCode}|${validFrom}`;
const provincesByCode: EntityLoader<string, Tenant> = {
  typeName: 'Province',
  load: (ctx, keys, query) =>
    ctx.db.tenant.findMany({
      ...query,
      where: { OR: keys.map((key) => key.split('|')).map(([gsoCode, validFrom]) => ({ gsoCode, codeValidFrom: dateOnly(validFrom) })) },
    }),
  keyOf: (province) => codeKey(province.gsoCode, isoDateOf(province.codeValidFrom)),
};

builder.asEntity(ProvinceRef, {
  key: [builder.selection<{ id: string }>('id'), builder.selection<{ gsoCode: string; codeValidFrom: string }>('gsoCode codeValidFrom')],
  resolveReference: (reference, ctx, info) => {
    if ('id' in reference) return loadEntity(ctx, info, provincesById, rowIdOf(reference.id, 'Province'));
    const { gsoCode, codeValidFrom } = reference;
    const valid = typeof gsoCode === 'string' && /^\d{2}$/.test(gsoCode) && typeof codeValidFrom === 'string' && isRealDate(codeValidFrom);
    return loadEntity(ctx, info, provincesByCode, valid ? codeKey(gsoCode, codeValidFrom) : null);
  },
});

const UnitSuccessionRef = builder.prismaObject('UnitSuccession', {
  description: 'An old unit replaced by a new one, and the resolution that did it.',
  fields: (t) => ({
    predecessor: t.relation('predecessor'),
    successor: t.relation('successor'),
    resolution: t.exposeString('resolution'),
    effectiveOn: t.expose('effectiveOn', { type: 'Date' }),
  }),
});

export const AdministrativeUnitRef = builder.prismaNode('AdministrativeUnit', {
  description: 'A province, pre-2025 district, or commune/ward/special zone, over its validity period.',
  // node(id) of a row this request cannot see (another province's) answers null, not an error.
  nullable: true,
  id: { resolve: (unit) => unit.id },
  findUnique: (id) => ({ id }),
  fields: (t) => ({
    code: t.exposeString('code'),
    level: t.expose('level', { type: UnitLevelEnum }),
    name: t.exposeString('name'),
    type: t.exposeString('type'),
    provinceCode: t.exposeString('provinceCode'),
    validFrom: t.expose('validFrom', { type: 'Date' }),
    validTo: t.expose('validTo', { type: 'Date', nullable: true }),
    successors: t.relation('successors', { type: UnitSuccessionRef }),
    predecessors: t.relation('predecessors', { type: UnitSuccessionRef }),
  }),
});

builder.queryFields((t) => ({
  province: t.prismaField({
    type: 'Tenant',
    nullable: true,
    skipTypeScopes: true,
    authScopes: { public: true },
    description: 'The province the request acts in (token, X-Province header or host name).',
    resolve: (query, _root, _args, ctx) =>
      ctx.province ? ctx.db.tenant.findUnique({ ...query, where: { id: ctx.province.id } }) : null,
  }),
  provinces: t.prismaField({
    type: ['Tenant'],
    skipTypeScopes: true,
    authScopes: { public: true },
    args: { status: t.arg({ type: ProvinceStatusEnum, required: false }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.tenant.findMany({ ...query, where: args.status ? { status: args.status } : {}, orderBy: { name: 'asc' } }),
  }),
  administrativeUnits: t.prismaConnection({
    type: 'AdministrativeUnit',
    cursor: 'id',
    skipTypeScopes: true,
    authScopes: { public: true },
    description: "Units of a province (default: the request's), valid on a date (default: today).",
    args: {
      provinceCode: t.arg.string({ required: false }),
      level: t.arg({ type: UnitLevelEnum, required: false }),
      validOn: t.arg({ type: 'Date', required: false }),
      search: t.arg.string({ required: false }),
    },
    ...pageSize(50, 500),
    totalCount: (_parent, args, ctx) => ctx.db.administrativeUnit.count({ where: unitWhere(args, ctx.province?.gsoCode) }),
    resolve: (query, _root, args, ctx) =>
      ctx.db.administrativeUnit.findMany({ ...query, where: unitWhere(args, ctx.province?.gsoCode), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  }),
}));

function unitWhere(
  args: { provinceCode?: string | null; level?: UnitLevel | null; validOn?: Date | null; search?: string | null },
  defaultProvinceCode: string | undefined,
) {
  const on = args.validOn ?? new Date();
  return {
    provinceCode: args.provinceCode ?? defaultProvinceCode ?? '',
    level: args.level ?? undefined,
    validFrom: { lte: on },
    OR: [{ validTo: null }, { validTo: { gte: on } }],
    name: args.search ? { contains: likeLiteral(args.search), mode: 'insensitive' as const } : undefined,
  };
}
