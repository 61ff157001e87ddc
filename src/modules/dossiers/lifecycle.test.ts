import {
  ACTION_NAME,
  DOSSIER_ACTIONS,
  DOSSIER_STATUSES,
  NATIONAL_STATUS_CODE,
  OPEN_STATUSES,
  STATUS_NAME,
  TRANSITIONS,
  actorFor,
  allowedActions,
  isOpen,
  isPaused,
  moveChanges,
  planMove,
  requiredFields,
  type Actor,
  type DossierAction,
  type DossierClock,
  type DossierEffect,
  type DossierStatus,
  type MoveChanges,
  type MoveField,
} from './lifecycle';

const EVERYONE: Actor[] = ['APPLICANT', 'RECEIVING_CLERK', 'HANDLER', 'LEADER'];
// Everything a move may require, filled in: only the status and the role decide.
const FILLED = ['note', 'payment', 'returnMethod'] as const;

const START: DossierEffect = { clock: 'START' };
const PAUSE: DossierEffect = { clock: 'PAUSE' };
const RESUME: DossierEffect = { clock: 'RESUME' };
const END: DossierEffect = { clock: 'END' };

// Every legal (from, action) pair, written out by hand from the brief:
// 1→2|3; 2→4; 4⇄5; 4⇄6; 4→8; 7→8; 4→9→10; 7 from 1, 2, 4, 5.
const LEGAL: [DossierStatus, DossierAction, DossierStatus, DossierEffect[]][] = [
  ['SUBMITTED', 'RECEIVE', 'RECEIVED', [START]],
  ['SUBMITTED', 'REFUSE', 'REFUSED', [{ stamp: 'stoppedAt' }, END]],
  ['SUBMITTED', 'REQUEST_WITHDRAWAL', 'WITHDRAWAL_REQUESTED', []],
  ['RECEIVED', 'START_PROCESSING', 'IN_PROGRESS', []],
  ['RECEIVED', 'REQUEST_WITHDRAWAL', 'WITHDRAWAL_REQUESTED', []],
  ['IN_PROGRESS', 'REQUEST_SUPPLEMENT', 'SUPPLEMENT_REQUESTED', [PAUSE, { count: 'supplementRequests' }]],
  ['IN_PROGRESS', 'REQUEST_PAYMENT', 'AWAITING_PAYMENT', [PAUSE]],
  ['IN_PROGRESS', 'REQUEST_WITHDRAWAL', 'WITHDRAWAL_REQUESTED', []],
  ['IN_PROGRESS', 'STOP', 'STOPPED', [{ stamp: 'stoppedAt' }, END]],
  ['IN_PROGRESS', 'FINISH', 'RESULT_READY', [{ stamp: 'resultReadyAt' }, END]],
  ['SUPPLEMENT_REQUESTED', 'RESUME_AFTER_SUPPLEMENT', 'IN_PROGRESS', [RESUME]],
  // leaving a pause for a withdrawal request restarts the clock
  ['SUPPLEMENT_REQUESTED', 'REQUEST_WITHDRAWAL', 'WITHDRAWAL_REQUESTED', [RESUME]],
  ['AWAITING_PAYMENT', 'CONFIRM_PAYMENT', 'IN_PROGRESS', [RESUME, { stamp: 'paidAt' }]],
  ['WITHDRAWAL_REQUESTED', 'STOP', 'STOPPED', [{ stamp: 'stoppedAt' }, END]],
  // the clock normally ended at FINISH; END happens once (see moveChanges)
  ['RESULT_READY', 'RETURN_RESULT', 'RETURNED', [{ stamp: 'returnedAt' }, END]],
];

describe('the status list', () => {
  test('national codes are 1..10 in the brief order', () => {
    expect(DOSSIER_STATUSES.map((status) => NATIONAL_STATUS_CODE[status])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  test.each([
    ['SUBMITTED', 'Mới đăng ký'],
    ['RECEIVED', 'Được tiếp nhận'],
    ['REFUSED', 'Không được tiếp nhận'],
    ['IN_PROGRESS', 'Đang xử lý'],
    ['SUPPLEMENT_REQUESTED', 'Yêu cầu bổ sung giấy tờ'],
    ['AWAITING_PAYMENT', 'Yêu cầu thực hiện nghĩa vụ tài chính'],
    ['WITHDRAWAL_REQUESTED', 'Công dân yêu cầu rút hồ sơ'],
    ['STOPPED', 'Dừng xử lý'],
    ['RESULT_READY', 'Đã xử lý xong'],
    ['RETURNED', 'Đã trả kết quả'],
  ] as const)('%s is called %j', (status, name) => {
    expect(STATUS_NAME[status]).toBe(name);
  });

  test('every action has a Vietnamese label', () => {
    for (const action of DOSSIER_ACTIONS) expect(ACTION_NAME[action]).toMatch(/\S/);
    expect(ACTION_NAME.RECEIVE).toBe('Tiếp nhận');
    expect(ACTION_NAME.REFUSE).toBe('Từ chối tiếp nhận');
    expect(ACTION_NAME.START_PROCESSING).toBe('Chuyển xử lý');
    expect(ACTION_NAME.REQUEST_SUPPLEMENT).toBe('Yêu cầu bổ sung');
  });

  test('one transition per action, in DOSSIER_ACTIONS order', () => {
    expect(TRANSITIONS.map((transition) => transition.action)).toEqual([...DOSSIER_ACTIONS]);
  });

  test.each([
    ['SUBMITTED', true, false],
    ['RECEIVED', true, false],
    ['REFUSED', false, false],
    ['IN_PROGRESS', true, false],
    ['SUPPLEMENT_REQUESTED', true, true],
    ['AWAITING_PAYMENT', true, true],
    ['WITHDRAWAL_REQUESTED', true, false],
    ['STOPPED', false, false],
    ['RESULT_READY', true, false],
    ['RETURNED', false, false],
  ] as const)('%s: open %s, paused %s', (status, open, paused) => {
    expect(isOpen(status)).toBe(open);
    expect(OPEN_STATUSES.includes(status)).toBe(open);
    expect(isPaused(status)).toBe(paused);
  });
});

describe('planMove over the whole (status, action) matrix', () => {
  const matrix = DOSSIER_STATUSES.flatMap((from) => DOSSIER_ACTIONS.map((action) => [from, action] as const));

  test('the legal pairs are exactly the expected list', () => {
    const legal = matrix.filter(([from, action]) => planMove(from, action, EVERYONE, FILLED).ok);
    expect(legal).toEqual(LEGAL.map(([from, action]) => [from, action]));
  });

  test.each(LEGAL)('%s --%s--> %s, effects %j', (from, action, to, effects) => {
    expect(planMove(from, action, EVERYONE, FILLED)).toEqual({ ok: true, to, effects, actor: actorFor(action, EVERYONE) });
  });

  test.each(matrix.filter(([from, action]) => !LEGAL.some(([f, a]) => f === from && a === action)))(
    '%s refuses %s whoever asks',
    (from, action) => {
      expect(planMove(from, action, EVERYONE, FILLED)).toEqual({
        ok: false,
        reason: 'NOT_FROM_THIS_STATUS',
        allowed: allowedActions(from, EVERYONE),
      });
    },
  );

  test('closed statuses allow nothing', () => {
    for (const status of DOSSIER_STATUSES.filter((status) => !isOpen(status))) {
      expect(allowedActions(status, EVERYONE)).toEqual([]);
    }
  });
});

describe('role guards', () => {
  // [action, from, the actors who may, the actors who may not]
  const ROLES: [DossierAction, DossierStatus, Actor[], Actor[]][] = [
    ['RECEIVE', 'SUBMITTED', ['RECEIVING_CLERK'], ['APPLICANT', 'HANDLER', 'LEADER']],
    ['REFUSE', 'SUBMITTED', ['RECEIVING_CLERK'], ['APPLICANT', 'HANDLER', 'LEADER']],
    ['START_PROCESSING', 'RECEIVED', ['RECEIVING_CLERK', 'HANDLER', 'LEADER'], ['APPLICANT']],
    ['REQUEST_SUPPLEMENT', 'IN_PROGRESS', ['HANDLER', 'LEADER'], ['APPLICANT', 'RECEIVING_CLERK']],
    ['RESUME_AFTER_SUPPLEMENT', 'SUPPLEMENT_REQUESTED', ['RECEIVING_CLERK', 'HANDLER', 'APPLICANT'], ['LEADER']],
    ['REQUEST_PAYMENT', 'IN_PROGRESS', ['HANDLER', 'LEADER'], ['APPLICANT', 'RECEIVING_CLERK']],
    ['CONFIRM_PAYMENT', 'AWAITING_PAYMENT', ['RECEIVING_CLERK', 'HANDLER'], ['APPLICANT', 'LEADER']],
    ['REQUEST_WITHDRAWAL', 'RECEIVED', ['APPLICANT', 'RECEIVING_CLERK'], ['HANDLER', 'LEADER']],
    ['STOP', 'WITHDRAWAL_REQUESTED', ['LEADER', 'RECEIVING_CLERK'], ['APPLICANT', 'HANDLER']],
    ['FINISH', 'IN_PROGRESS', ['HANDLER', 'LEADER'], ['APPLICANT', 'RECEIVING_CLERK']],
    ['RETURN_RESULT', 'RESULT_READY', ['RECEIVING_CLERK'], ['APPLICANT', 'HANDLER', 'LEADER']],
  ];

  test.each(ROLES)('%s from %s: allowed for %j, refused for %j', (action, from, allowed, refused) => {
    for (const actor of allowed) expect(planMove(from, action, [actor], FILLED)).toMatchObject({ ok: true, actor });
    for (const actor of refused) {
      expect(planMove(from, action, [actor], FILLED)).toEqual({
        ok: false,
        reason: 'ROLE_NOT_ALLOWED',
        allowed: allowedActions(from, [actor]),
      });
    }
  });

  test('the wrong status is reported before the wrong role', () => {
    expect(planMove('RETURNED', 'RECEIVE', ['APPLICANT'])).toMatchObject({ ok: false, reason: 'NOT_FROM_THIS_STATUS' });
  });

  test('any one of several roles is enough', () => {
    expect(planMove('SUBMITTED', 'RECEIVE', ['HANDLER', 'RECEIVING_CLERK'])).toEqual({ ok: true, to: 'RECEIVED', effects: [START], actor: 'RECEIVING_CLERK' });
  });

  test('no roles, no moves', () => {
    expect(planMove('SUBMITTED', 'RECEIVE', [])).toMatchObject({ ok: false, reason: 'ROLE_NOT_ALLOWED', allowed: [] });
  });
});

describe('allowedActions', () => {
  test.each([
    ['SUBMITTED', ['RECEIVING_CLERK'], ['RECEIVE', 'REFUSE', 'REQUEST_WITHDRAWAL']],
    ['SUBMITTED', ['APPLICANT'], ['REQUEST_WITHDRAWAL']],
    ['SUBMITTED', ['HANDLER', 'LEADER'], []],
    ['RECEIVED', ['HANDLER'], ['START_PROCESSING']],
    ['IN_PROGRESS', ['HANDLER'], ['REQUEST_SUPPLEMENT', 'REQUEST_PAYMENT', 'FINISH']],
    ['IN_PROGRESS', ['LEADER'], ['REQUEST_SUPPLEMENT', 'REQUEST_PAYMENT', 'STOP', 'FINISH']],
    ['IN_PROGRESS', ['RECEIVING_CLERK'], ['REQUEST_WITHDRAWAL', 'STOP']],
    ['IN_PROGRESS', ['APPLICANT'], ['REQUEST_WITHDRAWAL']],
    ['SUPPLEMENT_REQUESTED', ['APPLICANT'], ['RESUME_AFTER_SUPPLEMENT', 'REQUEST_WITHDRAWAL']],
    ['SUPPLEMENT_REQUESTED', ['LEADER'], []],
    ['AWAITING_PAYMENT', ['APPLICANT'], []],
    ['AWAITING_PAYMENT', ['HANDLER'], ['CONFIRM_PAYMENT']],
    ['WITHDRAWAL_REQUESTED', ['LEADER'], ['STOP']],
    ['RESULT_READY', ['RECEIVING_CLERK', 'HANDLER'], ['RETURN_RESULT']],
    ['RESULT_READY', ['HANDLER'], []],
  ] as [DossierStatus, Actor[], DossierAction[]][])('%s as %j → %j', (from, actors, expected) => {
    expect(allowedActions(from, actors)).toEqual(expected);
  });
});

describe('what a move must carry', () => {
  // [action, from, required fields]: a legal move for everyone, so only what is filled in decides
  const MOVES: [DossierAction, DossierStatus, MoveField[]][] = [
    ['RECEIVE', 'SUBMITTED', []],
    ['REFUSE', 'SUBMITTED', ['note']],
    ['START_PROCESSING', 'RECEIVED', []],
    ['REQUEST_SUPPLEMENT', 'IN_PROGRESS', ['note']],
    ['RESUME_AFTER_SUPPLEMENT', 'SUPPLEMENT_REQUESTED', []],
    ['REQUEST_PAYMENT', 'IN_PROGRESS', ['note']],
    ['CONFIRM_PAYMENT', 'AWAITING_PAYMENT', ['payment']],
    ['REQUEST_WITHDRAWAL', 'IN_PROGRESS', ['note']],
    ['STOP', 'IN_PROGRESS', ['note']],
    ['FINISH', 'IN_PROGRESS', []],
    ['RETURN_RESULT', 'RESULT_READY', ['returnMethod']],
  ];

  test('every action is listed once', () => {
    expect(MOVES.map(([action]) => action)).toEqual([...DOSSIER_ACTIONS]);
  });

  test.each(MOVES)('%s from %s requires %j', (action, from, required) => {
    expect(requiredFields(action)).toEqual(required);
    const plan = planMove(from, action, EVERYONE, []);
    if (required.length) expect(plan).toEqual({ ok: false, reason: 'MISSING_FIELD', missing: required, allowed: allowedActions(from, EVERYONE) });
    else expect(plan.ok).toBe(true);
    expect(planMove(from, action, EVERYONE, required).ok).toBe(true);
  });

  test('a note does not stand in for a payment or a return method', () => {
    expect(planMove('AWAITING_PAYMENT', 'CONFIRM_PAYMENT', EVERYONE, ['note'])).toMatchObject({ ok: false, missing: ['payment'] });
    expect(planMove('RESULT_READY', 'RETURN_RESULT', EVERYONE, ['note', 'payment'])).toMatchObject({ ok: false, missing: ['returnMethod'] });
  });

  test('a role the move does not allow is refused before the note is asked for', () => {
    expect(planMove('SUBMITTED', 'REFUSE', ['APPLICANT'], [])).toMatchObject({ ok: false, reason: 'ROLE_NOT_ALLOWED' });
  });
});

describe('actorFor: the capacity a move is logged in', () => {
  test.each([
    ['START_PROCESSING', ['RECEIVING_CLERK', 'HANDLER', 'LEADER'], 'RECEIVING_CLERK'],
    ['START_PROCESSING', ['LEADER', 'HANDLER'], 'LEADER'],
    ['FINISH', ['RECEIVING_CLERK', 'HANDLER'], 'HANDLER'],
    ['STOP', ['HANDLER', 'LEADER'], 'LEADER'],
    ['RECEIVE', ['APPLICANT'], null],
  ] as [DossierAction, Actor[], Actor | null][])('%s by %j → %s', (action, actors, expected) => {
    expect(actorFor(action, actors)).toBe(expected);
  });
});

describe('moveChanges: the columns a move writes', () => {
  // Times in Vietnam (UTC+7): the move is made on Wednesday 6 May 2026 at 09:00.
  const at = (local: string) => new Date(`${local.replace(' ', 'T')}:00+07:00`);
  const NOW = at('2026-05-06 09:00');
  const DUE_IF_RECEIVED_NOW = at('2026-05-13 09:00');
  // stands in for the calendar: the pause gives back two hours
  const afterPause = (dueAt: Date) => new Date(dueAt.getTime() + 2 * 3_600_000);

  const dossier = (overrides: Partial<DossierClock> = {}): DossierClock => ({
    dueAt: at('2026-05-08 17:00'),
    dueAtBeforeExtension: null,
    pausedAt: null,
    supplementRequests: 0,
    resultReadyAt: null,
    returnedAt: null,
    stoppedAt: null,
    endedAt: null,
    ...overrides,
  });

  const changesOf = (from: DossierStatus, action: DossierAction, before: DossierClock) => {
    const plan = planMove(from, action, EVERYONE, FILLED);
    if (!plan.ok) throw new Error(`${action} from ${from} is not a move`);
    return moveChanges(plan.to, plan.effects, before, NOW, { receivedNow: DUE_IF_RECEIVED_NOW, afterPause });
  };

  const CASES: [string, DossierStatus, DossierAction, Partial<DossierClock>, MoveChanges][] = [
    ['received: the clock starts', 'SUBMITTED', 'RECEIVE', { dueAt: null }, { status: 'RECEIVED', open: true, receivedAt: NOW, dueAt: DUE_IF_RECEIVED_NOW }],
    ['refused at intake: ended, on time with no due date', 'SUBMITTED', 'REFUSE', { dueAt: null }, { status: 'REFUSED', open: false, stoppedAt: NOW, endedAt: NOW, outcome: 'ON_TIME' }],
    ['processing starts: the status only', 'RECEIVED', 'START_PROCESSING', {}, { status: 'IN_PROGRESS', open: true }],
    ['papers asked for: paused and counted', 'IN_PROGRESS', 'REQUEST_SUPPLEMENT', { supplementRequests: 1 }, { status: 'SUPPLEMENT_REQUESTED', open: true, pausedAt: NOW, supplementRequests: 2 }],
    ['fees asked for: paused, not counted', 'IN_PROGRESS', 'REQUEST_PAYMENT', {}, { status: 'AWAITING_PAYMENT', open: true, pausedAt: NOW }],
    [
      'papers filed: both due dates pushed by the pause',
      'SUPPLEMENT_REQUESTED',
      'RESUME_AFTER_SUPPLEMENT',
      { pausedAt: at('2026-05-05 09:00'), dueAtBeforeExtension: at('2026-05-07 17:00') },
      { status: 'IN_PROGRESS', open: true, dueAt: at('2026-05-08 19:00'), dueAtBeforeExtension: at('2026-05-07 19:00'), pausedAt: null },
    ],
    [
      'payment confirmed: resumed, paid, and when',
      'AWAITING_PAYMENT',
      'CONFIRM_PAYMENT',
      { pausedAt: at('2026-05-05 09:00') },
      { status: 'IN_PROGRESS', open: true, dueAt: at('2026-05-08 19:00'), dueAtBeforeExtension: null, pausedAt: null, paid: true, paidAt: NOW },
    ],
    [
      'withdrawal asked while papers are awaited: the clock resumes',
      'SUPPLEMENT_REQUESTED',
      'REQUEST_WITHDRAWAL',
      { pausedAt: at('2026-05-05 09:00') },
      { status: 'WITHDRAWAL_REQUESTED', open: true, dueAt: at('2026-05-08 19:00'), dueAtBeforeExtension: null, pausedAt: null },
    ],
    ['a pause never recorded has nothing to give back', 'SUPPLEMENT_REQUESTED', 'RESUME_AFTER_SUPPLEMENT', {}, { status: 'IN_PROGRESS', open: true }],
    ['finished two days early', 'IN_PROGRESS', 'FINISH', {}, { status: 'RESULT_READY', open: true, resultReadyAt: NOW, endedAt: NOW, outcome: 'EARLY' }],
    ['finished on the due day', 'IN_PROGRESS', 'FINISH', { dueAt: at('2026-05-06 17:00') }, { status: 'RESULT_READY', open: true, resultReadyAt: NOW, endedAt: NOW, outcome: 'ON_TIME' }],
    [
      'finished within the extension: still late',
      'IN_PROGRESS',
      'FINISH',
      { dueAt: at('2026-05-11 17:00'), dueAtBeforeExtension: at('2026-05-05 17:00') },
      { status: 'RESULT_READY', open: true, resultReadyAt: NOW, endedAt: NOW, outcome: 'LATE' },
    ],
    ['finished after two supplement requests: late', 'IN_PROGRESS', 'FINISH', { supplementRequests: 2 }, { status: 'RESULT_READY', open: true, resultReadyAt: NOW, endedAt: NOW, outcome: 'LATE' }],
    ['stopped', 'WITHDRAWAL_REQUESTED', 'STOP', {}, { status: 'STOPPED', open: false, stoppedAt: NOW, endedAt: NOW, outcome: 'EARLY' }],
    [
      'returned: the end stays the result being ready',
      'RESULT_READY',
      'RETURN_RESULT',
      { resultReadyAt: at('2026-05-04 10:00'), endedAt: at('2026-05-04 10:00') },
      { status: 'RETURNED', open: false, returnedAt: NOW },
    ],
    [
      'returned with no end recorded: the return ends it',
      'RESULT_READY',
      'RETURN_RESULT',
      { dueAt: at('2026-05-05 17:00') },
      { status: 'RETURNED', open: false, returnedAt: NOW, endedAt: NOW, outcome: 'LATE' },
    ],
  ];

  test.each(CASES)('%s', (_case, from, action, before, expected) => {
    expect(changesOf(from, action, dossier(before))).toEqual(expected);
  });

  test('every action has a case', () => {
    expect(new Set(CASES.map(([, , action]) => action))).toEqual(new Set(DOSSIER_ACTIONS));
  });

  test('START and RESUME refuse to guess the due dates', () => {
    expect(() => moveChanges('RECEIVED', [START], dossier(), NOW)).toThrow(/START/);
    expect(() => moveChanges('IN_PROGRESS', [RESUME], dossier({ pausedAt: at('2026-05-05 09:00') }), NOW)).toThrow(/RESUME/);
  });
});
