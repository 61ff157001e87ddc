// The dossier lifecycle as data: the national portal's ten statuses and the moves between them, each
// with the roles that may make it, what the caller must write and what it does to the legal clock and
// the dossier's stamps. Pure; the service applies moveChanges' columns.
import { defineLifecycle, type Plan } from '../../kernel/lifecycle';
import { judgeFinished, type FinishedOutcome } from './on-time';

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

/** What the caller may have to fill in for a move: a reason, the payment confirmed, how the result went back. */
export type MoveField = 'note' | 'payment' | 'returnMethod';

/** Shown beside the field when a move needs it. */
export const MISSING_FIELD_MESSAGE: Record<MoveField, string> = {
  note: 'Cần ghi rõ lý do',
  payment: 'Cần ghi hình thức thanh toán và số biên lai',
  returnMethod: 'Cần ghi hình thức trả kết quả (tại quầy, bưu chính hoặc trực tuyến)',
};

export type ClockEffect = 'START' | 'PAUSE' | 'RESUME' | 'END';

/**
 * What a move does besides changing the status. The legal clock: START sets receivedAt and the due
 * date, PAUSE sets pausedAt, RESUME adds the pause back to the due dates, END records the on-time
 * rule's end and outcome (once: a dossier already ended keeps its end). Stamps record when a step
 * happened; paidAt also sets paid.
 */
export type DossierEffect =
  | { clock: ClockEffect }
  | { stamp: 'resultReadyAt' | 'returnedAt' | 'stoppedAt' | 'paidAt' }
  | { count: 'supplementRequests' };

interface DossierLifecycle {
  status: DossierStatus;
  action: DossierAction;
  actor: Actor;
  field: MoveField;
  effect: DossierEffect;
}

/** Waiting on the applicant (papers or fees): the legal clock does not run. */
export function isPaused(status: DossierStatus): boolean {
  return status === 'SUPPLEMENT_REQUESTED' || status === 'AWAITING_PAYMENT';
}

const clockOf = (effects: readonly DossierEffect[]): ClockEffect | null =>
  effects.flatMap((effect) => ('clock' in effect ? [effect.clock] : []))[0] ?? null;

// One row per action, so an action names its move on its own.
const dossierLifecycle = defineLifecycle<DossierLifecycle>({
  statuses: DOSSIER_STATUSES,
  transitions: [
    { action: 'RECEIVE', from: ['SUBMITTED'], to: 'RECEIVED', actors: ['RECEIVING_CLERK'], effects: [{ clock: 'START' }] },
    {
      action: 'REFUSE',
      from: ['SUBMITTED'],
      to: 'REFUSED',
      actors: ['RECEIVING_CLERK'],
      requires: ['note'],
      effects: [{ stamp: 'stoppedAt' }, { clock: 'END' }],
    },
    { action: 'START_PROCESSING', from: ['RECEIVED'], to: 'IN_PROGRESS', actors: ['RECEIVING_CLERK', 'HANDLER', 'LEADER'], effects: [] },
    {
      action: 'REQUEST_SUPPLEMENT',
      from: ['IN_PROGRESS'],
      to: 'SUPPLEMENT_REQUESTED',
      actors: ['HANDLER', 'LEADER'],
      requires: ['note'],
      effects: [{ clock: 'PAUSE' }, { count: 'supplementRequests' }],
    },
    {
      action: 'RESUME_AFTER_SUPPLEMENT',
      from: ['SUPPLEMENT_REQUESTED'],
      to: 'IN_PROGRESS',
      // the applicant resumes by filing the missing papers online
      actors: ['RECEIVING_CLERK', 'HANDLER', 'APPLICANT'],
      effects: [{ clock: 'RESUME' }],
    },
    {
      action: 'REQUEST_PAYMENT',
      from: ['IN_PROGRESS'],
      to: 'AWAITING_PAYMENT',
      actors: ['HANDLER', 'LEADER'],
      requires: ['note'],
      effects: [{ clock: 'PAUSE' }],
    },
    {
      action: 'CONFIRM_PAYMENT',
      from: ['AWAITING_PAYMENT'],
      to: 'IN_PROGRESS',
      actors: ['RECEIVING_CLERK', 'HANDLER'],
      // how it was paid and the receipt (biên lai): the online-payment indicator counts them
      requires: ['payment'],
      effects: [{ clock: 'RESUME' }, { stamp: 'paidAt' }],
    },
    {
      action: 'REQUEST_WITHDRAWAL',
      from: ['SUBMITTED', 'RECEIVED', 'IN_PROGRESS', 'SUPPLEMENT_REQUESTED'],
      to: 'WITHDRAWAL_REQUESTED',
      // the clerk records a withdrawal the applicant asks for at the counter
      actors: ['APPLICANT', 'RECEIVING_CLERK'],
      requires: ['note'],
      effects: [],
    },
    {
      action: 'STOP',
      from: ['IN_PROGRESS', 'WITHDRAWAL_REQUESTED'],
      to: 'STOPPED',
      actors: ['LEADER', 'RECEIVING_CLERK'],
      requires: ['note'],
      effects: [{ stamp: 'stoppedAt' }, { clock: 'END' }],
    },
    { action: 'FINISH', from: ['IN_PROGRESS'], to: 'RESULT_READY', actors: ['HANDLER', 'LEADER'], effects: [{ stamp: 'resultReadyAt' }, { clock: 'END' }] },
    // the end is normally the result being ready; a dossier without one ends when returned
    {
      action: 'RETURN_RESULT',
      from: ['RESULT_READY'],
      to: 'RETURNED',
      actors: ['RECEIVING_CLERK'],
      // at the counter, by post or electronically: the indicator counts results returned electronically
      requires: ['returnMethod'],
      effects: [{ stamp: 'returnedAt' }, { clock: 'END' }],
    },
  ],
  // Leaving a pause always restarts the clock, even by a move that does not otherwise touch it (a
  // withdrawal requested while papers are awaited): otherwise the wait would run on unbounded.
  effectsFrom: (transition, from) =>
    clockOf(transition.effects) === null && isPaused(from) && !isPaused(transition.to) ? [...transition.effects, { clock: 'RESUME' }] : transition.effects,
});

export const TRANSITIONS = dossierLifecycle.transitions;
export type MovePlan = Plan<DossierLifecycle>;

/** The move `action` from `from` for a caller acting as `actors`, who filled in `filled`. */
export const planMove = dossierLifecycle.plan;
/** The fields a move must carry; any other move must not carry payment or returnMethod. */
export const requiredFields = (action: DossierAction): readonly MoveField[] => dossierLifecycle.transition(action)?.requires ?? [];
/** The moves these actors may make from this status, in DOSSIER_ACTIONS order. */
export const allowedActions = dossierLifecycle.allowedActions;
/** The capacity the move is made in (logged with it). */
export const actorFor = dossierLifecycle.actorFor;

export const OPEN_STATUSES: readonly DossierStatus[] = DOSSIER_STATUSES.filter(
  (status) => status !== 'REFUSED' && status !== 'STOPPED' && status !== 'RETURNED',
);

export function isOpen(status: DossierStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

// ---------------------------------------------------------------- applying a move

/** The columns a move reads. */
export interface DossierClock {
  dueAt: Date | null;
  dueAtBeforeExtension: Date | null;
  pausedAt: Date | null;
  supplementRequests: number;
  resultReadyAt: Date | null;
  returnedAt: Date | null;
  stoppedAt: Date | null;
  endedAt: Date | null;
}

/** Due-date arithmetic a move may need; the service works it out from the procedure and the calendar. */
export interface DueDates {
  /** For START: the legal due date of a dossier received now. */
  receivedNow?: Date;
  /** For RESUME: a due date with the pause that ends now added back. */
  afterPause?: (dueAt: Date) => Date;
}

export type MoveChanges = Partial<DossierClock> & {
  status: DossierStatus;
  open: boolean;
  receivedAt?: Date;
  paid?: boolean;
  paidAt?: Date;
  outcome?: FinishedOutcome;
};

/** The column values a planned move writes. Pure: the time and the due-date arithmetic come in. */
export function moveChanges(to: DossierStatus, effects: readonly DossierEffect[], dossier: DossierClock, now: Date, dueDates: DueDates = {}): MoveChanges {
  const changes: MoveChanges = { status: to, open: isOpen(to) };
  for (const effect of effects) {
    if ('stamp' in effect) {
      changes[effect.stamp] = now;
      if (effect.stamp === 'paidAt') changes.paid = true;
    } else if ('count' in effect) {
      changes[effect.count] = dossier[effect.count] + 1;
    } else if (effect.clock === 'START') {
      if (!dueDates.receivedNow) throw new Error('moveChanges: START needs the due date of a dossier received now');
      changes.receivedAt = now;
      changes.dueAt = dueDates.receivedNow;
    } else if (effect.clock === 'PAUSE') {
      changes.pausedAt = now;
    } else if (effect.clock === 'RESUME' && dossier.pausedAt) {
      // (without pausedAt the pause was never recorded, and there is nothing to add back)
      if (!dueDates.afterPause) throw new Error('moveChanges: RESUME needs the due dates pushed by the pause');
      const push = dueDates.afterPause;
      changes.dueAt = dossier.dueAt && push(dossier.dueAt);
      changes.dueAtBeforeExtension = dossier.dueAtBeforeExtension && push(dossier.dueAtBeforeExtension);
      changes.pausedAt = null;
    }
  }
  // Judged last, on the stamps as the move leaves them, against the due date before any extension.
  if (clockOf(effects) === 'END' && !dossier.endedAt) {
    changes.endedAt = now;
    changes.outcome = judgeFinished({
      dueAt: dossier.dueAtBeforeExtension ?? dossier.dueAt,
      resultReadyAt: changes.resultReadyAt ?? dossier.resultReadyAt,
      returnedAt: changes.returnedAt ?? dossier.returnedAt,
      stoppedAt: changes.stoppedAt ?? dossier.stoppedAt,
      supplementRequests: dossier.supplementRequests,
    });
  }
  return changes;
}
