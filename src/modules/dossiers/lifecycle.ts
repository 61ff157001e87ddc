// The dossier lifecycle as data: the national portal's ten statuses and the moves between them, each
// with the roles that may make it and what it does to the legal clock. Pure; the service applies it.

export const DOSSIER_STATUSES = [
  'SUBMITTED',
  'RECEIVED',
  'REFUSED',
  'IN_PROGRESS',
  'SUPPLEMENT_REQUESTED',
  'AWAITING_PAYMENT',
  'WITHDRAWAL_REQUESTED',
  'STOPPED',
  'RESULT_READY',
  'RETURNED',
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

/** The code the national public-service portal uses for each status (TrangThaiHoSo). */
export const NATIONAL_STATUS_CODE: Record<DossierStatus, number> = {
  SUBMITTED: 1,
  RECEIVED: 2,
  REFUSED: 3,
  IN_PROGRESS: 4,
  SUPPLEMENT_REQUESTED: 5,
  AWAITING_PAYMENT: 6,
  WITHDRAWAL_REQUESTED: 7,
  STOPPED: 8,
  RESULT_READY: 9,
  RETURNED: 10,
};

/** The national portal's names, shown to citizens and officials as they are. */
export const STATUS_NAME: Record<DossierStatus, string> = {
  SUBMITTED: 'Mới đăng ký',
  RECEIVED: 'Được tiếp nhận',
  REFUSED: 'Không được tiếp nhận',
  IN_PROGRESS: 'Đang xử lý',
  SUPPLEMENT_REQUESTED: 'Yêu cầu bổ sung giấy tờ',
  AWAITING_PAYMENT: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  WITHDRAWAL_REQUESTED: 'Công dân yêu cầu rút hồ sơ',
  STOPPED: 'Dừng xử lý',
  RESULT_READY: 'Đã xử lý xong',
  RETURNED: 'Đã trả kết quả',
};

export const DOSSIER_ACTIONS = [
  'RECEIVE',
  'REFUSE',
  'START_PROCESSING',
  'REQUEST_SUPPLEMENT',
  'RESUME_AFTER_SUPPLEMENT',
  'REQUEST_PAYMENT',
  'CONFIRM_PAYMENT',
  'REQUEST_WITHDRAWAL',
  'STOP',
  'FINISH',
  'RETURN_RESULT',
] as const;
export type DossierAction = (typeof DOSSIER_ACTIONS)[number];

/** Button labels and processing-log wording. */
export const ACTION_NAME: Record<DossierAction, string> = {
  RECEIVE: 'Tiếp nhận',
  REFUSE: 'Từ chối tiếp nhận',
  START_PROCESSING: 'Chuyển xử lý',
  REQUEST_SUPPLEMENT: 'Yêu cầu bổ sung',
  RESUME_AFTER_SUPPLEMENT: 'Tiếp tục xử lý sau bổ sung',
  REQUEST_PAYMENT: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  CONFIRM_PAYMENT: 'Xác nhận hoàn thành nghĩa vụ tài chính',
  REQUEST_WITHDRAWAL: 'Yêu cầu rút hồ sơ',
  STOP: 'Dừng xử lý',
  FINISH: 'Hoàn thành xử lý',
  RETURN_RESULT: 'Trả kết quả',
};

export type Actor = 'APPLICANT' | 'RECEIVING_CLERK' | 'HANDLER' | 'LEADER';

/** What a move does to the legal clock. */
export type ClockEffect = 'START' | 'PAUSE' | 'RESUME' | 'END' | 'NONE';

export interface Transition {
  action: DossierAction;
  from: readonly DossierStatus[];
  to: DossierStatus;
  actors: readonly Actor[];
  /** The effect from an unpaused status; planMove adds RESUME when the move leaves a pause. */
  clock: ClockEffect;
}

// One row per action, so an action names its move on its own.
export const TRANSITIONS: readonly Transition[] = [
  { action: 'RECEIVE', from: ['SUBMITTED'], to: 'RECEIVED', actors: ['RECEIVING_CLERK'], clock: 'START' },
  { action: 'REFUSE', from: ['SUBMITTED'], to: 'REFUSED', actors: ['RECEIVING_CLERK'], clock: 'END' },
  {
    action: 'START_PROCESSING',
    from: ['RECEIVED'],
    to: 'IN_PROGRESS',
    actors: ['RECEIVING_CLERK', 'HANDLER', 'LEADER'],
    clock: 'NONE',
  },
  {
    action: 'REQUEST_SUPPLEMENT',
    from: ['IN_PROGRESS'],
    to: 'SUPPLEMENT_REQUESTED',
    actors: ['HANDLER', 'LEADER'],
    clock: 'PAUSE',
  },
  {
    action: 'RESUME_AFTER_SUPPLEMENT',
    from: ['SUPPLEMENT_REQUESTED'],
    to: 'IN_PROGRESS',
    // the applicant resumes by filing the missing papers online
    actors: ['RECEIVING_CLERK', 'HANDLER', 'APPLICANT'],
    clock: 'RESUME',
  },
  { action: 'REQUEST_PAYMENT', from: ['IN_PROGRESS'], to: 'AWAITING_PAYMENT', actors: ['HANDLER', 'LEADER'], clock: 'PAUSE' },
  {
    action: 'CONFIRM_PAYMENT',
    from: ['AWAITING_PAYMENT'],
    to: 'IN_PROGRESS',
    actors: ['RECEIVING_CLERK', 'HANDLER'],
    clock: 'RESUME',
  },
  {
    action: 'REQUEST_WITHDRAWAL',
    from: ['SUBMITTED', 'RECEIVED', 'IN_PROGRESS', 'SUPPLEMENT_REQUESTED'],
    to: 'WITHDRAWAL_REQUESTED',
    // the clerk records a withdrawal the applicant asks for at the counter
    actors: ['APPLICANT', 'RECEIVING_CLERK'],
    clock: 'NONE',
  },
  {
    action: 'STOP',
    from: ['IN_PROGRESS', 'WITHDRAWAL_REQUESTED'],
    to: 'STOPPED',
    actors: ['LEADER', 'RECEIVING_CLERK'],
    clock: 'END',
  },
  { action: 'FINISH', from: ['IN_PROGRESS'], to: 'RESULT_READY', actors: ['HANDLER', 'LEADER'], clock: 'END' },
  { action: 'RETURN_RESULT', from: ['RESULT_READY'], to: 'RETURNED', actors: ['RECEIVING_CLERK'], clock: 'NONE' },
];

const transitionOf = new Map<DossierAction, Transition>(TRANSITIONS.map((transition) => [transition.action, transition]));

export const OPEN_STATUSES: readonly DossierStatus[] = DOSSIER_STATUSES.filter(
  (status) => status !== 'REFUSED' && status !== 'STOPPED' && status !== 'RETURNED',
);

export function isOpen(status: DossierStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** Waiting on the applicant (papers or fees): the legal clock does not run. */
export function isPaused(status: DossierStatus): boolean {
  return status === 'SUPPLEMENT_REQUESTED' || status === 'AWAITING_PAYMENT';
}

// Leaving a pause always restarts the clock, even by a move that does not otherwise touch it (a
// withdrawal requested while papers are awaited): otherwise the wait would run on unbounded.
function clockEffect(transition: Transition, from: DossierStatus): ClockEffect {
  if (transition.clock === 'NONE' && isPaused(from) && !isPaused(transition.to)) return 'RESUME';
  return transition.clock;
}

export type MovePlan =
  | { ok: true; to: DossierStatus; clock: ClockEffect }
  | { ok: false; reason: 'NOT_FROM_THIS_STATUS' | 'ROLE_NOT_ALLOWED'; allowed: DossierAction[] };

export function planMove(from: DossierStatus, action: DossierAction, actors: readonly Actor[]): MovePlan {
  const transition = transitionOf.get(action);
  if (!transition || !transition.from.includes(from)) {
    return { ok: false, reason: 'NOT_FROM_THIS_STATUS', allowed: allowedActions(from, actors) };
  }
  if (!transition.actors.some((actor) => actors.includes(actor))) {
    return { ok: false, reason: 'ROLE_NOT_ALLOWED', allowed: allowedActions(from, actors) };
  }
  return { ok: true, to: transition.to, clock: clockEffect(transition, from) };
}

/** The moves these actors may make from this status, in DOSSIER_ACTIONS order. */
export function allowedActions(from: DossierStatus, actors: readonly Actor[]): DossierAction[] {
  return TRANSITIONS.filter(
    (transition) => transition.from.includes(from) && transition.actors.some((actor) => actors.includes(actor)),
  ).map((transition) => transition.action);
}
