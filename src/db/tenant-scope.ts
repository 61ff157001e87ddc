// The one place that tells PostgreSQL which province a transaction belongs to. Row-level security
// policies compare every tenant-owned row with `app.tenant_id`; `true` makes the setting end with the
// transaction, so a pooled connection never carries it into the next request.
import type { Prisma } from '../generated/prisma/client';

export type Db = Prisma.TransactionClient;

/** The role the API runs as: no SUPERUSER, no BYPASSRLS (created by the first migration). */
export const APP_ROLE = 'egov_app';

/** A ministry's transactions: roll-ups it was granted and reference data, no personal data (migration national_indicators). */
export const MINISTRY_ROLE = 'egov_ministry';

/** For the API: drop to the app role and scope to one province (or to none). One statement. */
export async function enterAppScope(tx: Db, tenantId: string | null): Promise<void> {
  await tx.$queryRaw`SELECT set_config('role', ${APP_ROLE}, true), set_config('app.tenant_id', ${tenantId ?? ''}, true)`;
}

/** For owner tasks (onboarding, seeds): keep the owner's rights on shared tables, scope tenant rows. */
export async function enterTenant(tx: Db, tenantId: string): Promise<void> {
  await tx.$queryRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
}

/**
 * Runs `fn` with the transaction scoped to another province, then scopes it back. The only sanctioned
 * way across provinces (an official's transfer); row-level security still checks every statement.
 */
export async function withinProvince<T>(tx: Db, provinceId: string, returnTo: string, fn: () => Promise<T>): Promise<T> {
  await enterAppScope(tx, provinceId);
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    // After a failed statement the transaction is aborted and will roll back; keep the first error.
    await enterAppScope(tx, returnTo).catch(() => undefined);
    throw error;
  }
  await enterAppScope(tx, returnTo);
  return result;
}
