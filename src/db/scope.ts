// What a transaction is scoped to (role, province, time limits) and the statement that says so. Pure.
import { isUuid } from '../kernel/ids';
import { quoteLiteral } from './sql';
import { APP_ROLE, MINISTRY_ROLE } from './tenant-scope';

export interface TransactionScope {
  /** The province whose rows the transaction sees (row-level security); null: none. */
  tenantId: string | null;
  /**
   * `app`: drops to egov_app, bound by row-level security (requests, events, jobs).
   * `ministry`: drops to egov_ministry, which reads roll-ups it was granted and reference data only.
   * `owner`: keeps the owner's rights on shared tables (migrations, onboarding, seeds).
   */
  role: 'app' | 'ministry' | 'owner';
  /** For `ministry`: the ministry's code, which its row-level security policies compare with. */
  ministry?: string;
  /** Longest the transaction may stay open, and any one statement or lock wait may take. */
  timeoutMs: number;
  /** Every statement sees the same moment (REPEATABLE READ): a long read that must be consistent. */
  snapshot?: boolean;
}

/**
 * Pure: the settings of a scope, all transaction-local (`true`), so a pooled connection never carries
 * them into the next transaction. The statement and lock limits make a request that waits on someone
 * else's lock fail at its deadline instead of holding its connection until the lock is released; the
 * idle limit ends a transaction somebody forgot.
 */
export function scopeSettings(scope: TransactionScope): [name: string, value: string][] {
  if (scope.tenantId !== null && !isUuid(scope.tenantId)) throw new Error(`not a province id: ${scope.tenantId}`);
  const ms = String(scope.timeoutMs);
  const limits: [string, string][] = [['statement_timeout', ms], ['lock_timeout', ms]];
  if (scope.role === 'ministry') {
    if (!scope.ministry || scope.tenantId !== null) throw new Error('a ministry scope names its ministry and no province');
    return [['role', MINISTRY_ROLE], ['app.tenant_id', ''], ['app.ministry', scope.ministry], ...limits, ['idle_in_transaction_session_timeout', ms]];
  }
  return scope.role === 'app'
    ? [['role', APP_ROLE], ['app.tenant_id', scope.tenantId ?? ''], ...limits, ['idle_in_transaction_session_timeout', ms]]
    : [['app.tenant_id', scope.tenantId ?? ''], ...limits];
}

/**
 * Pure: BEGIN and the scope's settings as one simple-protocol message, so that a transaction costs
 * one round trip before its first query. The values are literals (the simple protocol takes no
 * parameters): a UUID checked above, our role's name and numbers.
 */
export function beginStatement(scope: TransactionScope): string {
  const settings = scopeSettings(scope).map(([name, value]) => `set_config(${quoteLiteral(name)}, ${quoteLiteral(value)}, true)`);
  return `BEGIN${scope.snapshot ? ' ISOLATION LEVEL REPEATABLE READ' : ''}; SELECT ${settings.join(', ')}`;
}

