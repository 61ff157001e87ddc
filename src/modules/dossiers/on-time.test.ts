import { endOf, judgeFinished, judgeOpen, onTimeRate, type DossierTimes, type FinishedOutcome } from './on-time';

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
    expect(() => judgeFinished(times({}))).toThrow(/judgeOpen/);
  });
});

describe('judgeOpen', () => {
  test.each<[string, Pick<DossierTimes, 'dueAt' | 'supplementRequests'>, string, string]>([
    ['before the due date', { dueAt: DUE, supplementRequests: 0 }, '2026-05-01T10:00:00Z', 'WITHIN_TIME'],
    ['at the due instant', { dueAt: DUE, supplementRequests: 0 }, '2026-05-04T09:59:00Z', 'WITHIN_TIME'],
    ['one minute after', { dueAt: DUE, supplementRequests: 0 }, '2026-05-04T10:00:00Z', 'OVERDUE'],
    ['end of the reporting month', { dueAt: DUE, supplementRequests: 0 }, '2026-05-31T16:59:59Z', 'OVERDUE'],
    ['one supplement request, within time', { dueAt: DUE, supplementRequests: 1 }, '2026-05-01T10:00:00Z', 'WITHIN_TIME'],
    ['two supplement requests, within time', { dueAt: DUE, supplementRequests: 2 }, '2026-05-01T10:00:00Z', 'OVERDUE'],
    ['not received yet: no due date', { dueAt: null, supplementRequests: 0 }, '2026-05-31T16:59:59Z', 'WITHIN_TIME'],
  ])('%s → %s', (_label, input, when, expected) => {
    expect(judgeOpen(input, at(when))).toBe(expected);
  });
});

describe('onTimeRate', () => {
  test.each([
    [{ early: 0, onTime: 0, late: 0 }, null],
    [{ early: 3, onTime: 1, late: 0 }, 1],
    [{ early: 0, onTime: 0, late: 5 }, 0],
    [{ early: 1, onTime: 2, late: 1 }, 0.75],
    [{ early: 991, onTime: 0, late: 9 }, 0.991],
  ])('%j → %p', (counts, expected) => {
    const rate = onTimeRate(counts);
    if (expected === null) expect(rate).toBeNull();
    else expect(rate).toBeCloseTo(expected, 10);
  });
});
