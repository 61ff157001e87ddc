// A province's quotas: data an operator sets (a platform admin, acting in the province), read by fair
// sharing (src/server/fair-share.ts) to cap the province's operations per day.
import type { ProvinceContext } from '../../context/context';
import { inTransaction } from '../../db/unit-of-work';
import type { TransactionSource } from '../../db/unit-of-work';
import { AppError, ErrorCode, invalidInput } from '../../errors';

export interface ProvinceQuotaView {
  requestsPerDay: number | null;
  /** Operations counted today (Vietnam time), across every server process. */
  requestsToday: number;
  updatedAt: Date | null;
}

/** Operations a day the province may send, or null for no daily cap; read in the province's own scope. */
export const readRequestsPerDay = (source: TransactionSource, tenantId: string): Promise<number | null> =>
  inTransaction(source, { tenantId, role: 'app', timeoutMs: 5000 }, async (db) => {
    const quota = await db.provinceQuota.findUnique({ where: { tenantId }, select: { requestsPerDay: true } });
    return quota?.requestsPerDay ?? null;
  });

export async function provinceQuota(ctx: ProvinceContext): Promise<ProvinceQuotaView> {
  const quota = await ctx.db.provinceQuota.findUnique({ where: { tenantId: ctx.province.id } });
  return {
    requestsPerDay: quota?.requestsPerDay ?? null,
    requestsToday: await ctx.platform.services.fairShare.requestsToday(ctx.province.id, ctx.now),
    updatedAt: quota?.updatedAt ?? null,
  };
}

export async function setProvinceQuota(ctx: ProvinceContext, input: { requestsPerDay: number | null }): Promise<ProvinceQuotaView> {
  if (ctx.caller.kind !== 'platformAdmin') throw new AppError(ErrorCode.FORBIDDEN, 'Chỉ quản trị viên nền tảng được đặt hạn mức của tỉnh.');
  const { requestsPerDay } = input;
  if (requestsPerDay !== null && requestsPerDay < 1) {
    throw invalidInput([{ field: 'requestsPerDay', message: 'Hạn mức yêu cầu mỗi ngày phải từ 1 trở lên (để trống: không giới hạn theo ngày)' }]);
  }
  const values = { requestsPerDay, updatedBy: ctx.caller.subject };
  await ctx.db.provinceQuota.upsert({ where: { tenantId: ctx.province.id }, create: { tenantId: ctx.province.id, ...values }, update: values });
  // Every process reads the new value within its cache's refresh (30 s); this one at once.
  ctx.platform.services.fairShare.forgetQuota(ctx.province.id);
  return provinceQuota(ctx);
}
