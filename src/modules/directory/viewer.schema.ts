// `me`: who the server takes the caller to be, and their official record when they are one.
import { builder } from '../../schema/builder';
import type { Caller } from '../../context/caller';
import { BackOfficeRoleEnum } from './official.schema';
import { tenantKey } from '../../kernel/tenant-key';
import { currentOfficial } from '../../context/current-official';

const CallerKindEnum = builder.enumType('CallerKind', {
  values: ['anonymous', 'citizen', 'official', 'ministry', 'platformAdmin', 'system'] as const,
});

const ViewerRef = builder.objectRef<Caller>('Viewer').implement({
  fields: (t) => ({
    kind: t.field({ type: CallerKindEnum, resolve: (caller) => caller.kind }),
    subject: t.string({ nullable: true, resolve: (caller) => ('subject' in caller ? caller.subject : null) }),
    roles: t.field({ type: [BackOfficeRoleEnum], resolve: (caller) => (caller.kind === 'official' ? caller.roles : []) }),
    agencyCode: t.string({ nullable: true, resolve: (caller) => (caller.kind === 'official' ? caller.agencyCode : null) }),
    province: t.prismaField({
      type: 'Tenant',
      nullable: true,
      resolve: (query, caller, _args, ctx) =>
        caller.province ? ctx.db.tenant.findUnique({ ...query, where: { id: caller.province.id } }) : null,
    }),
    official: t.prismaField({
      type: 'Official',
      nullable: true,
      description: "The caller's own record, when the token's subject names an official of this province (their id, cccd:<CCCD> or e-mail).",
      resolve: async (query, _caller, _args, ctx) => {
        const self = await currentOfficial(ctx);
        return self ? ctx.db.official.findUnique({ ...query, where: tenantKey(ctx, self.id) }) : null;
      },
    }),
  }),
});

builder.queryField('me', (t) =>
  t.field({ type: ViewerRef, skipTypeScopes: true, authScopes: { public: true }, resolve: (_root, _args, ctx) => ctx.caller }),
);
