// Operators' view of the national-portal outbox: records by state, and replay of failed ones.
import { builder } from '../../schema/builder';
import { pageSize } from '../../kernel/field-limits';
import { SyncState } from '../../generated/prisma/enums';
import { tenantKey } from '../../kernel/tenant-key';
import { replayPortalSync } from './portal-sync.service';

const SyncStateEnum = builder.enumType(SyncState, { name: 'SyncState' });

export const PortalSyncRecordRef = builder.prismaNode('PortalSyncRecord', {
  description: 'One status change on its way to the national public-service portal. Its id is the idempotency key.',
  authScopes: { provinceAdmin: true },
  nullable: true,
  id: { resolve: (record) => record.id },
  findUnique: (id, ctx) => tenantKey(ctx, id),
  fields: (t) => ({
    dossierCode: t.exposeString('dossierCode'),
    dossier: t.relation('dossier'),
    state: t.expose('state', { type: SyncStateEnum }),
    attempts: t.exposeInt('attempts'),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime' }),
    lastError: t.exposeString('lastError', { nullable: true }),
    reply: t.exposeString('reply', { nullable: true, description: "The portal's reply to the last send." }),
    payload: t.string({ description: 'The JSON sent.', select: { payload: true }, resolve: (record) => JSON.stringify(record.payload) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    settledAt: t.expose('settledAt', { type: 'DateTime', nullable: true }),
  }),
});

const PortalSyncSummaryRef = builder.objectRef<Record<SyncState, number>>('PortalSyncSummary').implement({
  description: 'Records by state: the sync rate is itself an indicator.',
  fields: (t) => ({
    pending: t.exposeInt('PENDING'),
    acknowledged: t.exposeInt('ACKNOWLEDGED'),
    rejected: t.exposeInt('REJECTED'),
    failed: t.exposeInt('FAILED'),
  }),
});

builder.queryFields((t) => ({
  portalSyncRecords: t.withAuth({ provinceAdmin: true }).prismaConnection({
    type: 'PortalSyncRecord',
    cursor: 'tenantId_id',
    skipTypeScopes: true,
    description: 'The outbox to the national portal, newest first.',
    args: { state: t.arg({ type: SyncStateEnum, required: false }) },
    ...pageSize(50, 200),
    totalCount: (_parent, args, ctx) => ctx.db.portalSyncRecord.count({ where: { tenantId: ctx.province.id, state: args.state ?? undefined } }),
    resolve: (query, _root, args, ctx) =>
      ctx.db.portalSyncRecord.findMany({
        ...query,
        where: { tenantId: ctx.province.id, state: args.state ?? undefined },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
  portalSyncSummary: t.withAuth({ provinceAdmin: true }).field({
    type: PortalSyncSummaryRef,
    skipTypeScopes: true,
    resolve: async (_root, _args, ctx) => {
      const groups = await ctx.db.portalSyncRecord.groupBy({ by: ['state'], where: { tenantId: ctx.province.id }, _count: { _all: true } });
      const summary: Record<SyncState, number> = { PENDING: 0, ACKNOWLEDGED: 0, REJECTED: 0, FAILED: 0 };
      for (const group of groups) summary[group.state] = group._count._all;
      return summary;
    },
  }),
}));

builder.mutationFields((t) => ({
  replayPortalSync: t.withAuth({ provinceAdmin: true }).int({
    description: 'Sends REJECTED or FAILED records again (with the same idempotency key); returns how many were queued.',
    args: { ids: t.arg.globalIDList({ required: true, for: [PortalSyncRecordRef] }) },
    resolve: (_root, { ids }, ctx) => replayPortalSync(ctx.db, ctx.province.id, ids.map((id) => id.id)),
  }),
}));
