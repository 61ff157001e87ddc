// Transfers between provinces: the sending province's request (transferOfficial with toProvince),
// the receiving province's answer, and what each side sees. Thin resolvers over the services.
import { builder } from '../../schema/builder';
import { pageSize } from '../../kernel/field-limits';
import { OfficialTransferStatus } from '../../generated/prisma/enums';
import type { ProvinceContext } from '../../context/context';
import { OfficialRef } from './official.schema';
import { sideOf, transferKeyOf, transferNodeId } from './official-transfer';
import * as transfers from './official-transfer.service';

const NO_ROW = '00000000-0000-0000-0000-000000000000';

const OfficialTransferStatusEnum = builder.enumType(OfficialTransferStatus, { name: 'OfficialTransferStatus' });
const TransferDirectionEnum = builder.enumType('TransferDirection', {
  values: { OUTGOING: { description: 'Asked by this province.' }, INCOMING: { description: 'Addressed to this province.' } } as const,
});

const keyOf = (nodeId: string) => transfers.requireTransferKey(transferKeyOf(nodeId));

export const OfficialTransferRef = builder.prismaNode('OfficialTransfer', {
  description: 'A request to move an official to another province. Seen by the two provinces only; the receiving one answers it.',
  authScopes: { provinceAdmin: true },
  nullable: true,
  id: { resolve: transferNodeId },
  findUnique: (nodeId) => ({ tenantId_id: transferKeyOf(nodeId) ?? { tenantId: NO_ROW, id: NO_ROW } }),
  fields: (t) => ({
    direction: t.field({
      type: TransferDirectionEnum,
      description: 'Whether the province of the request sent or received it.',
      resolve: (transfer, _args, ctx) => sideOf(transfer, (ctx as ProvinceContext).province.id),
    }),
    status: t.expose('status', { type: OfficialTransferStatusEnum }),
    fullName: t.exposeString('fullName'),
    email: t.exposeString('email', { description: 'The mailbox sent; the receiving province may give another when it accepts.' }),
    fromProvinceName: t.exposeString('fromProvinceName'),
    fromAgencyName: t.exposeString('fromAgencyName'),
    fromPosition: t.exposeString('fromPosition'),
    toProvinceName: t.exposeString('toProvinceName'),
    toAgencyCode: t.exposeString('toAgencyCode'),
    toAgencyName: t.exposeString('toAgencyName'),
    position: t.exposeString('position', { description: 'The position in the receiving province.' }),
    effectiveOn: t.expose('effectiveOn', { type: 'Date' }),
    decisionNumber: t.exposeString('decisionNumber', { nullable: true }),
    requestedAt: t.expose('requestedAt', { type: 'DateTime' }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
    refusalReason: t.exposeString('refusalReason', { nullable: true }),
    official: t.field({
      type: OfficialRef,
      nullable: true,
      description: "The official's record in this province: the one sent (sender), the one created on acceptance (receiver).",
      select: { tenantId: true, officialId: true, targetOfficialId: true },
      resolve: (transfer, _args, ctx) => {
        const mine = sideOf(transfer, (ctx as ProvinceContext).province.id) === 'OUTGOING' ? transfer.officialId : transfer.targetOfficialId;
        return mine ? ctx.db.official.findUnique({ where: { tenantId_id: { tenantId: (ctx as ProvinceContext).province.id, id: mine } } }) : null;
      },
    }),
  }),
});

builder.prismaObjectField(OfficialRef, 'transferRequests', (t) =>
  t.relation('transfers', {
    type: OfficialTransferRef,
    authScopes: { provinceAdmin: true },
    description: 'Requests to move this official to another province, oldest first.',
    query: { orderBy: { requestedAt: 'asc' } },
  }),
);

builder.queryFields((t) => ({
  officialTransfers: t.withAuth({ provinceAdmin: true }).prismaConnection({
    type: 'OfficialTransfer',
    cursor: 'tenantId_id',
    skipTypeScopes: true,
    description: 'Transfer requests this province sent (OUTGOING) or received (INCOMING), newest first.',
    args: {
      direction: t.arg({ type: TransferDirectionEnum, required: true }),
      status: t.arg({ type: OfficialTransferStatusEnum, required: false }),
    },
    ...pageSize(50, 100),
    resolve: (query, _root, args, ctx) =>
      ctx.db.officialTransfer.findMany({
        ...query,
        where: { ...(args.direction === 'OUTGOING' ? { tenantId: ctx.province.id } : { targetTenantId: ctx.province.id }), status: args.status ?? undefined },
        orderBy: [{ requestedAt: 'desc' }, { id: 'desc' }],
      }),
  }),
}));

const AcceptTransferInput = builder.inputType('AcceptOfficialTransferInput', {
  fields: (t) => ({
    email: t.string({ required: false, description: "The official's mailbox in this province; default the one sent." }),
  }),
});

builder.mutationFields((t) => ({
  acceptOfficialTransfer: t.withAuth({ provinceAdmin: true }).prismaField({
    type: 'OfficialTransfer',
    description: 'The receiving province takes the official in: a record in its directory with the career sent; the sender\'s record closes as TRANSFERRED.',
    args: { id: t.arg.globalID({ required: true, for: [OfficialTransferRef] }), input: t.arg({ type: AcceptTransferInput, required: false }) },
    resolve: (query, _root, { id, input }, ctx) => transfers.acceptTransfer(ctx, keyOf(id.id), { email: input?.email }, query),
  }),
  refuseOfficialTransfer: t.withAuth({ provinceAdmin: true }).prismaField({
    type: 'OfficialTransfer',
    description: 'The receiving province declines, with a reason the sender reads.',
    args: { id: t.arg.globalID({ required: true, for: [OfficialTransferRef] }), reason: t.arg.string({ required: true }) },
    resolve: (query, _root, { id, reason }, ctx) => transfers.refuseTransfer(ctx, keyOf(id.id), reason, query),
  }),
  withdrawOfficialTransfer: t.withAuth({ provinceAdmin: true }).prismaField({
    type: 'OfficialTransfer',
    description: 'The sending province takes back a request not yet answered.',
    args: { id: t.arg.globalID({ required: true, for: [OfficialTransferRef] }) },
    resolve: (query, _root, { id }, ctx) => transfers.withdrawTransfer(ctx, keyOf(id.id), query),
  }),
}));
