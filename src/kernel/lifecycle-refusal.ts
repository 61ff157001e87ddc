// What a move the lifecycle table refuses answers, for every module's table (dossiers, documents,
// exchange envelopes): a field left out is BAD_USER_INPUT on that field; the wrong role FORBIDDEN;
// the wrong status TRANSITION_NOT_ALLOWED; both naming the moves the caller has.
import { AppError, ErrorCode, invalidInput } from '../errors';

export type RefusedPlan<Action extends string> =
  | { ok: false; reason: 'NOT_FROM_THIS_STATUS' | 'ROLE_NOT_ALLOWED'; allowed: Action[] }
  | { ok: false; reason: 'MISSING_FIELD'; missing: string[]; allowed: Action[] };

export function refusedMove<Action extends string>(refusal: {
  action: Action;
  /** Each action's Vietnamese name, for the message. */
  names: Record<Action, string>;
  /** What is moved, as the message names it: "hồ sơ", "văn bản". */
  thing: string;
  status: string;
  plan: RefusedPlan<Action>;
  /** What to say beside each field a move requires. */
  missingMessages: Record<string, string>;
}): AppError {
  const { action, names, thing, status, plan } = refusal;
  if (plan.reason === 'MISSING_FIELD') return invalidInput(plan.missing.map((field) => ({ field, message: refusal.missingMessages[field] ?? 'Bắt buộc' })));
  const allowed = plan.allowed.map((candidate) => `${candidate} (${names[candidate]})`).join(', ') || 'không có';
  return new AppError(plan.reason === 'ROLE_NOT_ALLOWED' ? ErrorCode.FORBIDDEN : 'TRANSITION_NOT_ALLOWED', `Không thể "${names[action]}" ${thing} đang ở trạng thái này. Thao tác được phép: ${allowed}.`, {
    allowedActions: plan.allowed,
    status,
  });
}
