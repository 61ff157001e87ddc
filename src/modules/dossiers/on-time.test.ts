import { endOf, isOverdueNow, isOverdueUnder766, judgeFinished, type DossierTimes, type FinishedOutcome, type OverdueColumns } from './on-time';

// Due 16:59 on Monday 4 May 2026, Vietnam time (UTC+7).
const DUE = new Date('2026-05-04T09:59:00Z');
const at = (iso: string) => new Date(iso);

function times(overrides: Partial<DossierTimes>): DossierTimes {
  return { dueAt: DUE, resultReadyAt: null, returnedAt: null, stoppedAt: null, supplementRequests: 0, ...overrides };
}

describe('endOf', () => {
  test.each([
    ['result ready wins over returned', times({ resultReadyAt: at('2026-05-01T03:00:00Z'), returnedAt: at('2026-05-06T03:00:00Z') }), '2026-05-01T03:00:00.000Z'],
    ['returned when no result-ready time', times({ returnedAt: at('2026-05-02T03:00:00Z') }), '2026-05-02T03:00:00.000Z'],
    ['stopped when neither', times({ stoppedAt: at('2026-05-03T03:00:00Z') }), '2026-05-03T03:00:00.000Z'],
    ['refused at intake', times({ dueAt: null, stoppedAt: at('2026-04-29T02:00:00Z') }), '2026-04-29T02:00:00.000Z'],
    ['open', times({}), null],
  ])('%s', (_label, input, expected) => {
    expect(endOf(input)?.toISOString() ?? null).toBe(expected);
  });
});

describe('judgeFinished (UTC+7 by default)', () => {
  test.each<[string, Partial<DossierTimes>, FinishedOutcome]>([
    ['result ready at 16:59 on the due day', { resultReadyAt: at('2026-05-04T09:59:00Z') }, 'ON_TIME'],
    ['result ready at 16:58 on the due day', { resultReadyAt: at('2026-05-04T09:58:00Z') }, 'ON_TIME'],
    ['result ready the next minute, 17:00', { resultReadyAt: at('2026-05-04T10:00:00Z') }, 'LATE'],
    ['one millisecond after the due instant', { resultReadyAt: at('2026-05-04T09:59:00.001Z') }, 'LATE'],
    ['early morning of the due day, 07:00', { resultReadyAt: at('2026-05-04T00:00:00Z') }, 'ON_TIME'],
    // 00:30 on 4 May locally, though still 3 May in UTC: the due day, not the day before
    ['00:30 local on the due day (3 May in UTC)', { resultReadyAt: at('2026-05-03T17:30:00Z') }, 'ON_TIME'],
    ['23:59 local the day before', { resultReadyAt: at('2026-05-03T16:59:00Z') }, 'EARLY'],
    ['a week early', { resultReadyAt: at('2026-04-27T02:00:00Z') }, 'EARLY'],
    ['a day late', { resultReadyAt: at('2026-05-05T02:00:00Z') }, 'LATE'],
    ['one supplement request does not matter', { resultReadyAt: at('2026-04-27T02:00:00Z'), supplementRequests: 1 }, 'EARLY'],
    ['two supplement requests: late even when early', { resultReadyAt: at('2026-04-27T02:00:00Z'), supplementRequests: 2 }, 'LATE'],
    ['three supplement requests', { resultReadyAt: at('2026-05-04T09:00:00Z'), supplementRequests: 3 }, 'LATE'],
    ['result ready on time, returned late: the result counts', { resultReadyAt: at('2026-05-04T08:00:00Z'), returnedAt: at('2026-05-08T02:00:00Z') }, 'ON_TIME'],
    ['returned without result-ready time, on the due day', { returnedAt: at('2026-05-04T04:00:00Z') }, 'ON_TIME'],
    ['returned without result-ready time, after the due date', { returnedAt: at('2026-05-05T01:00:00Z') }, 'LATE'],
    ['returned without result-ready time, days early', { returnedAt: at('2026-04-30T04:00:00Z') }, 'EARLY'],
    ['stopped before the due day', { stoppedAt: at('2026-04-28T03:00:00Z') }, 'EARLY'],
    ['stopped on the due day', { stoppedAt: at('2026-05-04T08:00:00Z') }, 'ON_TIME'],
    ['stopped after the due date', { stoppedAt: at('2026-05-06T03:00:00Z') }, 'LATE'],
    ['refused at intake: no due date', { dueAt: null, stoppedAt: at('2026-04-29T02:00:00Z') }, 'ON_TIME'],
  ])('%s → %s', (_label, overrides, expected) => {
    expect(judgeFinished(times(overrides))).toBe(expected);
  });

  test('the local day depends on the offset: 17:30 UTC on 3 May is the day before in UTC', () => {
    const input = times({ resultReadyAt: at('2026-05-03T17:30:00Z') });
    expect(judgeFinished(input, 420)).toBe('ON_TIME');
    expect(judgeFinished(input, 0)).toBe('EARLY');
  });

  test('an open dossier cannot be judged as finished', () => {
    expect(() => judgeFinished(times({}))).toThrow(/isOverdueUnder766/);
  });
});

// Open dossiers due at DUE, judged at the end of May 2026 unless said otherwise.
const END_OF_MAY = '2026-05-31T16:59:59Z';

function open(overrides: Partial<OverdueColumns>): OverdueColumns {
  return { status: 'IN_PROGRESS', dueAt: DUE, dueAtBeforeExtension: null, pausedAt: null, supplementRequests: 0, ...overrides };
}

describe('isOverdueUnder766', () => {
  test.each<[string, Partial<OverdueColumns>, string, boolean]>([
    ['before the due date', {}, '2026-05-01T10:00:00Z', false],
    ['at the due instant', {}, '2026-05-04T09:59:00Z', false],
    ['one minute after', {}, '2026-05-04T10:00:00Z', true],
    ['end of the reporting month', {}, END_OF_MAY, true],
    ['one supplement request, within time', { supplementRequests: 1 }, '2026-05-01T10:00:00Z', false],
    ['two supplement requests, within time', { supplementRequests: 2 }, '2026-05-01T10:00:00Z', true],
    ['not received yet: no due date', { dueAt: null }, END_OF_MAY, false],
    ['not received, two supplement requests', { dueAt: null, supplementRequests: 2 }, END_OF_MAY, true],
    // an apology letter does not make a late dossier on time
    ['extended to June: judged on the original date', { dueAt: at('2026-06-15T09:59:00Z'), dueAtBeforeExtension: DUE }, END_OF_MAY, true],
    ['extended, original date not passed', { dueAt: at('2026-06-15T09:59:00Z'), dueAtBeforeExtension: DUE }, '2026-05-02T03:00:00Z', false],
    // a paused clock does not run
    ['paused before the due date, judged after it', { status: 'SUPPLEMENT_REQUESTED', pausedAt: at('2026-05-02T03:00:00Z') }, END_OF_MAY, false],
    ['paused at the due instant', { status: 'AWAITING_PAYMENT', pausedAt: DUE }, END_OF_MAY, false],
    ['paused after the due date', { status: 'SUPPLEMENT_REQUESTED', pausedAt: at('2026-05-06T03:00:00Z') }, END_OF_MAY, true],
    ['paused after the end of the period, due before it', { status: 'SUPPLEMENT_REQUESTED', pausedAt: at('2026-06-02T03:00:00Z') }, END_OF_MAY, true],
    ['paused after the end of the period, due after it', { dueAt: at('2026-06-01T09:59:00Z'), pausedAt: at('2026-06-02T03:00:00Z') }, END_OF_MAY, false],
    ['paused before the original date of an extended dossier', { dueAt: at('2026-06-15T09:59:00Z'), dueAtBeforeExtension: DUE, pausedAt: at('2026-05-03T03:00:00Z') }, END_OF_MAY, false],
  ])('%s → %p', (_label, overrides, when, expected) => {
    expect(isOverdueUnder766(open(overrides), at(when))).toBe(expected);
  });
});

describe('isOverdueNow', () => {
  test.each<[string, Partial<OverdueColumns>, string, boolean]>([
    ['in progress, before the due date', {}, '2026-05-04T09:58:59Z', false],
    ['in progress, at the due instant', {}, '2026-05-04T09:59:00Z', false],
    ['in progress, just after', {}, '2026-05-04T09:59:00.001Z', true],
    ['received, not yet started, after the due date', { status: 'RECEIVED' }, END_OF_MAY, true],
    ['withdrawal requested, after the due date', { status: 'WITHDRAWAL_REQUESTED' }, END_OF_MAY, true],
    ['submitted: no due date yet', { status: 'SUBMITTED', dueAt: null }, END_OF_MAY, false],
    // the agency answers to the date it promised in its apology letter
    ['extended: judged on the new date', { dueAt: at('2026-06-15T09:59:00Z'), dueAtBeforeExtension: DUE }, END_OF_MAY, false],
    ['extended, new date passed too', { dueAt: at('2026-05-20T09:59:00Z'), dueAtBeforeExtension: DUE }, END_OF_MAY, true],
    ['paused before the due date', { status: 'SUPPLEMENT_REQUESTED', pausedAt: at('2026-05-02T03:00:00Z') }, END_OF_MAY, false],
    ['paused after the due date', { status: 'AWAITING_PAYMENT', pausedAt: at('2026-05-06T03:00:00Z') }, END_OF_MAY, true],
    // the clock is never read past now, even for a pause stamped later (a clock fixed in the past)
    ['paused after now, due between the two', { status: 'SUPPLEMENT_REQUESTED', dueAt: at('2026-06-01T09:59:00Z'), pausedAt: at('2026-06-02T03:00:00Z') }, END_OF_MAY, false],
    ['supplement requests do not matter here', { supplementRequests: 2 }, '2026-05-01T10:00:00Z', false],
    ['result ready late: no longer the agency’s work', { status: 'RESULT_READY' }, END_OF_MAY, false],
    ['returned', { status: 'RETURNED' }, END_OF_MAY, false],
    ['stopped', { status: 'STOPPED' }, END_OF_MAY, false],
    ['refused at intake', { status: 'REFUSED', dueAt: null }, END_OF_MAY, false],
  ])('%s → %p', (_label, overrides, when, expected) => {
    expect(isOverdueNow(open(overrides), at(when))).toBe(expected);
  });
});
