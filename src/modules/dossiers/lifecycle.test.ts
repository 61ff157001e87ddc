import {
  ACTION_NAME,
  DOSSIER_ACTIONS,
  DOSSIER_STATUSES,
  NATIONAL_STATUS_CODE,
  OPEN_STATUSES,
  STATUS_NAME,
  TRANSITIONS,
  allowedActions,
  isOpen,
  isPaused,
  planMove,
  type Actor,
  type ClockEffect,
  type DossierAction,
  type DossierStatus,
} from './lifecycle';

const EVERYONE: Actor[] = ['APPLICANT', 'RECEIVING_CLERK', 'HANDLER', 'LEADER'];

// Every legal (from, action) pair, written out by hand from the brief:
// 1→2|3; 2→4; 4⇄5; 4⇄6; 4→8; 7→8; 4→9→10; 7 from 1, 2, 4, 5.
const LEGAL: [DossierStatus, DossierAction, DossierStatus, ClockEffect][] = [
  ['SUBMITTED', 'RECEIVE', 'RECEIVED', 'START'],
  ['SUBMITTED', 'REFUSE', 'REFUSED', 'END'],
  ['SUBMITTED', 'REQUEST_WITHDRAWAL', 'WITHDRAWAL_REQUESTED', 'NONE'],
  ['RECEIVED', 'START_PROCESSING', 'IN_PROGRESS', 'NONE'],
  ['RECEIVED', 'REQUEST_WITHDRAWAL', 'WITHDRAWAL_REQUESTED', 'NONE'],
  ['IN_PROGRESS', 'REQUEST_SUPPLEMENT', 'SUPPLEMENT_REQUESTED', 'PAUSE'],
  ['IN_PROGRESS', 'REQUEST_PAYMENT', 'AWAITING_PAYMENT', 'PAUSE'],
  ['IN_PROGRESS', 'REQUEST_WITHDRAWAL', 'WITHDRAWAL_REQUESTED', 'NONE'],
  ['IN_PROGRESS', 'STOP', 'STOPPED', 'END'],
  ['IN_PROGRESS', 'FINISH', 'RESULT_READY', 'END'],
  ['SUPPLEMENT_REQUESTED', 'RESUME_AFTER_SUPPLEMENT', 'IN_PROGRESS', 'RESUME'],
  // leaving a pause for a withdrawal request restarts the clock
  ['SUPPLEMENT_REQUESTED', 'REQUEST_WITHDRAWAL', 'WITHDRAWAL_REQUESTED', 'RESUME'],
  ['AWAITING_PAYMENT', 'CONFIRM_PAYMENT', 'IN_PROGRESS', 'RESUME'],
  ['WITHDRAWAL_REQUESTED', 'STOP', 'STOPPED', 'END'],
  ['RESULT_READY', 'RETURN_RESULT', 'RETURNED', 'NONE'],
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
    const legal = matrix.filter(([from, action]) => planMove(from, action, EVERYONE).ok);
    expect(legal).toEqual(LEGAL.map(([from, action]) => [from, action]));
  });

  test.each(LEGAL)('%s --%s--> %s, clock %s', (from, action, to, clock) => {
    expect(planMove(from, action, EVERYONE)).toEqual({ ok: true, to, clock });
  });

  test.each(matrix.filter(([from, action]) => !LEGAL.some(([f, a]) => f === from && a === action)))(
    '%s refuses %s whoever asks',
    (from, action) => {
      expect(planMove(from, action, EVERYONE)).toEqual({
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
    for (const actor of allowed) expect(planMove(from, action, [actor]).ok).toBe(true);
    for (const actor of refused) {
      expect(planMove(from, action, [actor])).toEqual({
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
    expect(planMove('SUBMITTED', 'RECEIVE', ['HANDLER', 'RECEIVING_CLERK'])).toEqual({ ok: true, to: 'RECEIVED', clock: 'START' });
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
