// How every module addresses its own province's rows: tenant-owned tables key on (tenant_id, id).
import type { Context } from '../context/context';
import { AppError, ErrorCode } from '../errors';

// Matches no row: used when a request has no province, so lookups by id come back empty.
const NO_TENANT = '00000000-0000-0000-0000-000000000000';

/** The compound key of a tenant-owned row, in the request's province. */
export const tenantKey = (ctx: Context, id: string) => ({ tenantId_id: { tenantId: ctx.province?.id ?? NO_TENANT, id } });

/** The province a tenant-scoped field needs; a clear error when the request names none. */
export function requireProvince(ctx: Context) {
  if (!ctx.province) {
    throw new AppError(ErrorCode.PROVINCE_REQUIRED, 'Hãy chọn tỉnh/thành phố (tiêu đề X-Province hoặc tên miền của tỉnh).');
  }
  return ctx.province;
}
