// Agencies: a tree per province. The contact directory is public; officials are not.
import { builder } from '../../schema/builder';
import { pageSize } from '../../kernel/field-limits';
import type { ProvinceContext } from '../../context/context';
import { AgencyKind } from '../../generated/prisma/enums';
import { tenantKey } from '../../kernel/tenant-key';
import { likeLiteral } from '../../kernel/text';
import type { Context } from '../../context/context';
import { AppError, ErrorCode } from '../../errors';
import { inTransaction } from '../../db/unit-of-work';
import { withinProvince } from '../../db/tenant-scope';
import { createConcurrencyGate, type ConcurrencyGate } from '../../server/concurrency-gate';
import { loadEntity, rowIdOf, type EntityLoader, type EntityQuery } from '../../schema/entities';

export const AgencyKindEnum = builder.enumType(AgencyKind, { name: 'AgencyKind' });

export const AgencyRef = builder.prismaNode('Agency', {
  description: 'An agency (cơ quan, đơn vị) of a province.',
  // node(id) of a row this request cannot see (another province's) answers null, not an error.
  nullable: true,
  // Select mode: a page reads the columns its fields show (and the province, which officials checks).
  select: { id: true, tenantId: true },
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
    officials: t.relatedConnection('officials', {
      // Officials of the request's own province only: an agency reached as a federation entity may be
      // another province's (its public directory fields are for anyone, its staff are not).
      authScopes: (agency, _args, ctx) => agency.tenantId === ctx.province?.id && { official: true, provinceAdmin: true },
      cursor: 'tenantId_id',
      totalCount: true,
      query: { orderBy: [{ searchName: 'asc' }, { id: 'asc' }] },
    }),
  }),
});

// Federation: an agency is referred to by its global id (what `agencies` and `node` give), so a
// gateway resolves it without a province header. The id does not say its province: the caller's own
// province is looked in first, in the operation's transaction; then the others, each through
// withinProvince in one short transaction of its own (as the app role, whatever the caller's role:
// the directory is public), so row-level security still sees one province per statement and the
// operation's own transaction is never re-scoped. An id found nowhere costs one look per province.
type AgencyRow = { id: string; tenantId: string };

const crossings = new WeakMap<object, ConcurrencyGate>();
/**
 * The second transaction is a second pooled connection while the operation holds one: a few at a
 * time per process, waiting briefly, so that operations waiting for one can never hold the whole pool.
 */
function crossingGate(ctx: Context): ConcurrencyGate {
  let gate = crossings.get(ctx.platform);
  if (!gate) crossings.set(ctx.platform, (gate = createConcurrencyGate({ limit: Math.max(1, Math.floor(ctx.platform.config.DATABASE_POOL_SIZE / 4)), maxWaitMs: 1000, maxQueued: 100 })));
  return gate;
}

async function agenciesAnywhere(ctx: Context, ids: readonly string[], query: EntityQuery): Promise<AgencyRow[]> {
  const read = (db: Context['db'], tenantId: string, wanted: string[]) =>
    db.agency.findMany({ ...(query as { select: { id: true; tenantId: true } }), where: { tenantId, id: { in: wanted } } });
  const home = ctx.province?.id ?? null;
  const found: AgencyRow[] = home ? await read(ctx.db, home, [...ids]) : [];
  const missing = () => ids.filter((id) => !found.some((row) => row.id === id));
  const elsewhere = (await ctx.platform.provinces.list()).filter((province) => province.id !== home);
  if (!missing().length || !elsewhere.length) return found;
  const release = await crossingGate(ctx).acquire('agencies');
  if (!release) throw new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'Hệ thống đang bận tra cứu cơ quan của tỉnh khác. Vui lòng thử lại sau ít giây.', { retryAfterSeconds: 1 });
  try {
    await inTransaction(ctx.platform.database, { tenantId: null, role: 'app', timeoutMs: ctx.platform.config.REQUEST_TIMEOUT_MS }, async (tx) => {
      for (const province of elsewhere) {
        const wanted = missing();
        if (!wanted.length) break;
        found.push(...(await withinProvince(tx, province.id, '', () => read(tx, province.id, wanted))));
      }
    });
  } finally {
    release();
  }
  return found;
}

const agenciesById: EntityLoader<string, AgencyRow> = {
  typeName: 'Agency',
  select: { id: true, tenantId: true },
  load: agenciesAnywhere,
  keyOf: (agency) => agency.id,
};

builder.asEntity(AgencyRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (reference, ctx, info) => loadEntity(ctx, info, agenciesById, rowIdOf(reference.id, 'Agency')) as never,
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
