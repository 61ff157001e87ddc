// Quotas per province: the province's admins see theirs, a platform admin acting in the province sets it.
import { builder } from '../../schema/builder';
import * as quotas from './quota.service';

const ProvinceQuotaRef = builder.objectRef<quotas.ProvinceQuotaView>('ProvinceQuota').implement({
  description: "What the platform allows the province beyond the per-client rate limits; counted across all server processes.",
  fields: (t) => ({
    requestsPerDay: t.exposeInt('requestsPerDay', { nullable: true, description: 'Operations a day (Vietnam time); null: no daily cap. Beyond it: RATE_LIMITED until midnight.' }),
    requestsToday: t.exposeInt('requestsToday', { description: 'Operations counted today, this one included.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryFields((t) => ({
  provinceQuota: t.withAuth({ provinceAdmin: true }).field({
    type: ProvinceQuotaRef,
    description: "The province's quota and today's use.",
    resolve: (_root, _args, ctx) => quotas.provinceQuota(ctx),
  }),
}));

builder.mutationFields((t) => ({
  setProvinceQuota: t.withAuth({ provinceAdmin: true }).field({
    type: ProvinceQuotaRef,
    description: "Sets the province's daily cap of operations (null: none). Platform admins only, acting in the province (X-Province).",
    args: { requestsPerDay: t.arg.int({ required: false }) },
    resolve: (_root, { requestsPerDay }, ctx) => quotas.setProvinceQuota(ctx, { requestsPerDay: requestsPerDay ?? null }),
  }),
}));
