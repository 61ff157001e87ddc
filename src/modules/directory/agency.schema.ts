// Agencies: a tree per province. The contact directory is public; officials are not.
import { builder } from '../../schema/builder';
import { pageSize } from '../../kernel/field-limits';
import type { ProvinceContext } from '../../context/context';
import { AgencyKind } from '../../generated/prisma/enums';
import { tenantKey } from '../../kernel/tenant-key';
import { likeLiteral } from '../../kernel/text';

export const AgencyKindEnum = builder.enumType(AgencyKind, { name: 'AgencyKind' });

export const AgencyRef = builder.prismaNode('Agency', {
  description: 'An agency (cơ quan, đơn vị) of a province.',
  // node(id) of a row this request cannot see (another province's) answers null, not an error.
  nullable: true,
  // Select mode: a page reads the columns its fields show.
  select: { id: true },
  id: { resolve: (agency) => agency.id },
  findUnique: (id, ctx) => tenantKey(ctx, id),
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Electronic identifier code (mã định danh điện tử), e.g. 000.00.01.H13.' }),
    name: t.exposeString('name'),
    kind: t.expose('kind', { type: AgencyKindEnum }),
    email: t.exposeString('email', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true }),
    address: t.exposeString('address', { nullable: true }),
    parent: t.relation('parent', { nullable: true }),
    children: t.relation('children', { query: { orderBy: { name: 'asc' } } }),
    unit: t.relation('unit'),
    officials: t.withAuth({ official: true, provinceAdmin: true }).relatedConnection('officials', {
      cursor: 'tenantId_id',
      totalCount: true,
      query: { orderBy: [{ searchName: 'asc' }, { id: 'asc' }] },
    }),
  }),
});

builder.queryFields((t) => ({
  agencies: t.withAuth({ publicInProvince: true }).prismaConnection({
    type: 'Agency',
    cursor: 'tenantId_id',
    skipTypeScopes: true,
    description: 'Agencies of the province the request acts in.',
    args: {
      search: t.arg.string({ required: false, description: 'Part of the name (case-insensitive) or the start of the code.' }),
      kind: t.arg({ type: AgencyKindEnum, required: false }),
      rootsOnly: t.arg.boolean({ required: false }),
    },
    ...pageSize(50, 200),
    totalCount: (_parent, args, ctx) => ctx.db.agency.count({ where: agencyWhere(ctx, args) }),
    resolve: (query, _root, args, ctx) =>
      ctx.db.agency.findMany({ ...query, where: agencyWhere(ctx, args), orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  }),
}));

function agencyWhere(ctx: ProvinceContext, args: { search?: string | null; kind?: AgencyKind | null; rootsOnly?: boolean | null }) {
  const search = args.search?.trim();
  return {
    kind: args.kind ?? undefined,
    parentId: args.rootsOnly ? null : undefined,
    OR: search
      ? [{ code: { startsWith: likeLiteral(search) } }, { name: { contains: likeLiteral(search), mode: 'insensitive' as const } }]
      : undefined,
  };
}
