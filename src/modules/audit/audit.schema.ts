// The province's audit trail, for its administrators: newest first, filtered by actor, target,
// operation, kind and period. Entries are written by audit-operation.ts and the personal-data fields.
import { builder } from '../../schema/builder';
import { pageSize } from '../../kernel/field-limits';
import { AuditKind } from '../../generated/prisma/enums';
import { invalidInput } from '../../errors';
import { readableId } from './audit-operation';
import { auditWhere } from './audit.service';

const AuditKindEnum = builder.enumType(AuditKind, { name: 'AuditKind' });

builder.prismaObject('AuditEntry', {
  description: 'One entry of the province\'s audit trail: a committed mutation, or a read of personal data.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The entry\'s id, as `npm run audit:verify` names it.' }),
    position: t.exposeInt('position', { description: 'Its place in the province\'s hash chain: 1, 2, 3, ...' }),
    at: t.expose('at', { type: 'DateTime' }),
    kind: t.expose('kind', { type: AuditKindEnum }),
    operation: t.exposeString('operation', { nullable: true, description: 'The operation\'s name as the client gave it.' }),
    fields: t.exposeStringList('fields', { description: 'Root fields run (setCalendarDay) or, for a read, the fields read (Official.idNumber).' }),
    targetIds: t.exposeStringList('targetIds', { description: 'What it acted on, as Type:id (a global id decoded).' }),
    inputDigest: t.exposeString('inputDigest', { nullable: true, description: 'sha256 of the canonical JSON of the arguments; the input itself is never kept.' }),
    requestId: t.exposeString('requestId'),
    clientAddress: t.exposeString('clientAddress'),
    actorKind: t.exposeString('actorKind', { description: 'official, citizen, platformAdmin, anonymous, system.' }),
    actorSubject: t.exposeString('actorSubject', { nullable: true, description: 'The token\'s subject.' }),
    actorRoles: t.exposeStringList('actorRoles'),
    actorAgency: t.exposeString('actorAgency', { nullable: true, description: 'The agency code the official acted for.' }),
    previousHash: t.exposeString('previousHash'),
    hash: t.exposeString('hash'),
  }),
});

const AuditFilter = builder.inputType('AuditFilter', {
  fields: (t) => ({
    actor: t.string({ required: false, description: 'The actor\'s subject, exactly.' }),
    target: t.string({ required: false, description: 'A target: a global id or Type:id.' }),
    operation: t.string({ required: false, description: 'An operation name or a root field (moveDossier).' }),
    kind: t.field({ type: AuditKindEnum, required: false }),
    from: t.field({ type: 'DateTime', required: false, description: 'At or after.' }),
    to: t.field({ type: 'DateTime', required: false, description: 'Before.' }),
  }),
});

builder.queryFields((t) => ({
  auditTrail: t.withAuth({ provinceAdmin: true }).prismaConnection({
    type: 'AuditEntry',
    cursor: 'tenantId_position',
    description: "The province's audit trail, newest first.",
    args: { filter: t.arg({ type: AuditFilter, required: false }) },
    ...pageSize(50, 200),
    totalCount: (_parent, args, ctx) => ctx.db.auditEntry.count({ where: auditWhere(ctx.province.id, filterOf(args.filter)) }),
    resolve: (query, _root, args, ctx) =>
      ctx.db.auditEntry.findMany({ ...query, where: auditWhere(ctx.province.id, filterOf(args.filter)), orderBy: { position: 'desc' } }),
  }),
}));

type FilterArgs = { actor?: string | null; target?: string | null; operation?: string | null; kind?: AuditKind | null; from?: Date | null; to?: Date | null };

function filterOf(filter: FilterArgs | null | undefined) {
  if (filter?.from && filter.to && filter.from >= filter.to) {
    throw invalidInput([{ field: 'filter.to', message: 'Thời điểm kết thúc phải sau thời điểm bắt đầu.' }]);
  }
  return filter ? { ...filter, target: filter.target ? readableId(filter.target) : null } : null;
}
