import { dueDate, dueDateAfterPause, type ProcessingUnit } from './due-date';
import { calendarFrom, holidaysOf } from './holiday-rules';

/** 'YYYY-MM-DD HH:mm' in Vietnam (UTC+7) → instant. */
const at = (local: string) => new Date(`${local.replace(' ', 'T')}:00+07:00`);
/** instant → 'YYYY-MM-DD HH:mm' in Vietnam. */
const local = (instant: Date) => new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

// 2025–2026 from the rules. Reminders: 2026: 1/1 Thu off; Tết Mon 16 – Fri 20 Feb off; Giỗ Tổ on
// Sun 26/4 made up Mon 27/4; 30/4 Thu and 1/5 Fri off. 2025: Tết Tue 28 Jan – Fri 31 Jan off plus
// Nghỉ bù Mon 3 Feb.
const calendar = calendarFrom([...holidaysOf(2025), ...holidaysOf(2026)]);
// The government's swap for 2026 in the style of its yearly decisions: Friday 2/1 off, Saturday 10/1 worked.
const withSwap = calendarFrom([
  ...holidaysOf(2026),
  { date: '2026-01-02', kind: 'DAY_OFF', name: 'Nghỉ hoán đổi' },
  { date: '2026-01-10', kind: 'WORKING_DAY', name: 'Làm bù' },
]);
const customHours = calendarFrom(holidaysOf(2026), [{ start: '07:30', end: '11:30' }, { start: '13:00', end: '17:00' }]);

describe('dueDate in working days', () => {
  test.each([
    { case: 'morning intake', receivedAt: '2026-05-04 09:00', amount: 1, expected: '2026-05-05 09:00' },
    { case: 'morning intake, 3 days', receivedAt: '2026-05-04 09:00', amount: 3, expected: '2026-05-07 09:00' },
    { case: 'before opening', receivedAt: '2026-05-04 06:30', amount: 1, expected: '2026-05-04 17:00' },
    // 13:30–17:00 then 07:00–11:30: the eight hours end at the lunch break, which is the due time.
    { case: 'lunch-break intake starts at 13:30', receivedAt: '2026-05-04 12:15', amount: 1, expected: '2026-05-05 11:30' },
    { case: 'at 11:30 sharp (lunch)', receivedAt: '2026-05-04 11:30', amount: 1, expected: '2026-05-05 11:30' },
    { case: 'after hours starts next morning', receivedAt: '2026-05-04 18:00', amount: 1, expected: '2026-05-05 17:00' },
    { case: 'at closing time', receivedAt: '2026-05-04 17:00', amount: 2, expected: '2026-05-06 17:00' },
    { case: 'Friday afternoon, over the weekend', receivedAt: '2026-05-08 15:00', amount: 1, expected: '2026-05-11 15:00' },
    { case: 'Saturday intake', receivedAt: '2026-05-09 10:00', amount: 1, expected: '2026-05-11 17:00' },
    { case: 'Sunday intake', receivedAt: '2026-05-10 22:00', amount: 5, expected: '2026-05-15 17:00' },
    { case: '16:59 on the eve of 30/4–1/5', receivedAt: '2026-04-29 16:59', amount: 1, expected: '2026-05-04 16:59' },
    { case: 'on a holiday', receivedAt: '2026-04-30 08:00', amount: 1, expected: '2026-05-04 17:00' },
    { case: 'over Nghỉ bù Giỗ Tổ', receivedAt: '2026-04-24 10:00', amount: 1, expected: '2026-04-28 10:00' },
    { case: 'Tết 2026: 3 days from the Friday before', receivedAt: '2026-02-13 10:00', amount: 3, expected: '2026-02-25 10:00' },
    { case: 'Tết 2026: 16:30 on the Friday before', receivedAt: '2026-02-13 16:30', amount: 3, expected: '2026-02-25 16:30' },
    { case: 'Tết 2026: received during Tết', receivedAt: '2026-02-18 09:00', amount: 3, expected: '2026-02-25 17:00' },
    { case: 'Tết 2025: 3 days over Tết and its Nghỉ bù', receivedAt: '2025-01-24 10:00', amount: 3, expected: '2025-02-05 10:00' },
    { case: 'across the new year', receivedAt: '2025-12-31 10:00', amount: 1, expected: '2026-01-02 10:00' },
    { case: 'half a working day', receivedAt: '2026-05-04 09:00', amount: 0.5, expected: '2026-05-04 15:00' },
    { case: 'long procedure: 20 days over 30/4–1/5', receivedAt: '2026-04-20 09:00', amount: 20, expected: '2026-05-21 09:00' },
  ])('$case: $receivedAt + $amount → $expected', ({ receivedAt, amount, expected }) => {
    expect(local(dueDate(calendar, at(receivedAt), { amount, unit: 'WORKING_DAYS' }))).toBe(expected);
  });

  test.each([
    { case: 'the swapped Friday is skipped', receivedAt: '2025-12-31 10:00', amount: 1, expected: '2026-01-05 10:00' },
    { case: 'the declared working Saturday counts', receivedAt: '2026-01-09 10:00', amount: 1, expected: '2026-01-10 10:00' },
    { case: 'after hours Friday starts on the working Saturday', receivedAt: '2026-01-09 17:30', amount: 1, expected: '2026-01-10 17:00' },
    { case: 'the Sunday after it is still off', receivedAt: '2026-01-10 16:00', amount: 1, expected: '2026-01-12 16:00' },
  ])('with a government swap, $case: $receivedAt + $amount → $expected', ({ receivedAt, amount, expected }) => {
    expect(local(dueDate(withSwap, at(receivedAt), { amount, unit: 'WORKING_DAYS' }))).toBe(expected);
  });

  test.each([
    { case: 'before the 07:30 opening', receivedAt: '2026-05-04 07:00', amount: 1, expected: '2026-05-04 17:00' },
    { case: 'morning intake across the 11:30–13:00 lunch', receivedAt: '2026-05-04 11:00', amount: 1, expected: '2026-05-05 11:00' },
    { case: 'lunch intake starts at 13:00', receivedAt: '2026-05-04 12:00', amount: 1, expected: '2026-05-05 11:30' },
    { case: 'at 13:15, which the default hours would call lunch', receivedAt: '2026-05-04 13:15', amount: 1, expected: '2026-05-05 13:15' },
    { case: 'half a day from opening ends at the lunch break', receivedAt: '2026-05-04 07:30', amount: 0.5, expected: '2026-05-04 11:30' },
  ])('with office hours 07:30–11:30, 13:00–17:00, $case → $expected', ({ receivedAt, amount, expected }) => {
    expect(local(dueDate(customHours, at(receivedAt), { amount, unit: 'WORKING_DAYS' }))).toBe(expected);
  });
});

// A province whose counters are open 8.5 hours (07:00–11:30, 13:00–17:00): a working day is still
// 8 hours of that office time (workingMinutesPerDay says why), so due dates come earlier than
// "the same time N office days later", by half an hour a day.
const longHours = calendarFrom(holidaysOf(2026), [{ start: '07:00', end: '11:30' }, { start: '13:00', end: '17:00' }]);

describe('dueDate in working days with office hours of 8.5 hours', () => {
  test.each([
    { case: 'from the opening: 4.5 + 3.5 hours', receivedAt: '2026-05-04 07:00', amount: 1, expected: '2026-05-04 16:30' },
    { case: 'before opening', receivedAt: '2026-05-04 06:30', amount: 1, expected: '2026-05-04 16:30' },
    { case: 'from 09:00: 6.5 hours today, 1.5 tomorrow', receivedAt: '2026-05-04 09:00', amount: 1, expected: '2026-05-05 08:30' },
    { case: 'half a day', receivedAt: '2026-05-04 07:00', amount: 0.5, expected: '2026-05-04 11:00' },
    { case: '5 days: 40 hours, not the whole week', receivedAt: '2026-05-04 07:00', amount: 5, expected: '2026-05-08 14:30' },
    { case: '20 days: 160 hours, 10 hours before 20 office days', receivedAt: '2026-05-04 07:00', amount: 20, expected: '2026-05-28 15:30' },
    { case: 'same-day procedure: still the closing time', receivedAt: '2026-05-04 09:00', amount: 0, expected: '2026-05-04 17:00' },
  ])('$case: $receivedAt + $amount → $expected', ({ receivedAt, amount, expected }) => {
    expect(local(dueDate(longHours, at(receivedAt), { amount, unit: 'WORKING_DAYS' }))).toBe(expected);
  });

  test('a pause over a whole office day gives back the 8.5 hours the clock stood still', () => {
    expect(local(dueDateAfterPause(longHours, at('2026-05-06 16:30'), 'WORKING_DAYS', at('2026-05-04 07:00'), at('2026-05-04 17:00'))))
      .toBe('2026-05-07 16:30');
  });
});

describe('dueDate for same-day procedures (amount 0)', () => {
  test.each([
    { case: 'during the morning', receivedAt: '2026-05-04 10:00', unit: 'WORKING_DAYS', expected: '2026-05-04 17:00' },
    { case: 'a minute before closing', receivedAt: '2026-05-04 16:59', unit: 'WORKING_DAYS', expected: '2026-05-04 17:00' },
    { case: 'at lunch: the clock still starts that day', receivedAt: '2026-05-04 12:00', unit: 'WORKING_DAYS', expected: '2026-05-04 17:00' },
    { case: 'before opening: the clock still starts that day', receivedAt: '2026-05-04 06:00', unit: 'WORKING_DAYS', expected: '2026-05-04 17:00' },
    { case: 'at closing time', receivedAt: '2026-05-04 17:00', unit: 'WORKING_DAYS', expected: '2026-05-05 17:00' },
    { case: 'after hours', receivedAt: '2026-05-04 18:00', unit: 'WORKING_DAYS', expected: '2026-05-05 17:00' },
    { case: 'on Saturday', receivedAt: '2026-05-09 09:00', unit: 'WORKING_DAYS', expected: '2026-05-11 17:00' },
    { case: 'after hours on the eve of 30/4', receivedAt: '2026-04-29 17:30', unit: 'WORKING_DAYS', expected: '2026-05-04 17:00' },
    { case: 'in calendar days, in hours', receivedAt: '2026-05-04 10:00', unit: 'CALENDAR_DAYS', expected: '2026-05-04 17:00' },
    { case: 'in calendar days, after hours on Friday', receivedAt: '2026-05-08 20:00', unit: 'CALENDAR_DAYS', expected: '2026-05-11 17:00' },
  ] as const)('$case: $receivedAt → $expected', ({ receivedAt, unit, expected }) => {
    expect(local(dueDate(calendar, at(receivedAt), { amount: 0, unit }))).toBe(expected);
  });

  test('closes at the custom closing time', () => {
    const earlyClose = calendarFrom([], [{ start: '07:30', end: '11:30' }, { start: '13:00', end: '16:30' }]);
    expect(local(dueDate(earlyClose, at('2026-05-04 10:00'), { amount: 0, unit: 'WORKING_DAYS' }))).toBe('2026-05-04 16:30');
  });
});

describe('dueDate in calendar days', () => {
  test.each([
    { case: 'lands on a working day', receivedAt: '2026-05-04 10:00', amount: 3, expected: '2026-05-07 17:00' },
    { case: 'lands on a Saturday', receivedAt: '2026-05-04 10:00', amount: 5, expected: '2026-05-11 17:00' },
    { case: 'lands on a Sunday', receivedAt: '2026-05-04 10:00', amount: 6, expected: '2026-05-11 17:00' },
    { case: 'runs through a weekend without moving', receivedAt: '2026-05-04 10:00', amount: 7, expected: '2026-05-11 17:00' },
    { case: 'lands on 30/4, then 1/5 and a weekend', receivedAt: '2026-04-20 10:00', amount: 10, expected: '2026-05-04 17:00' },
    { case: 'lands on Nghỉ bù Giỗ Tổ', receivedAt: '2026-04-17 10:00', amount: 10, expected: '2026-04-28 17:00' },
    { case: 'lands during Tết 2026', receivedAt: '2026-02-13 10:00', amount: 7, expected: '2026-02-23 17:00' },
    { case: 'runs through Tết 2026 without moving', receivedAt: '2026-02-13 10:00', amount: 12, expected: '2026-02-25 17:00' },
    { case: 'after hours: counted from the next working day', receivedAt: '2026-05-08 18:00', amount: 1, expected: '2026-05-12 17:00' },
    { case: 'weekend intake: counted from Monday', receivedAt: '2026-05-09 10:00', amount: 1, expected: '2026-05-12 17:00' },
    { case: 'lunch intake: counted from that day', receivedAt: '2026-05-04 12:00', amount: 1, expected: '2026-05-05 17:00' },
    { case: '30 days across a month end', receivedAt: '2026-01-15 10:00', amount: 30, expected: '2026-02-23 17:00' },
  ])('$case: $receivedAt + $amount → $expected', ({ receivedAt, amount, expected }) => {
    expect(local(dueDate(calendar, at(receivedAt), { amount, unit: 'CALENDAR_DAYS' }))).toBe(expected);
  });
});

describe('dueDate refuses impossible processing times', () => {
  test.each([
    { amount: -1, unit: 'WORKING_DAYS', error: RangeError },
    { amount: Number.NaN, unit: 'WORKING_DAYS', error: RangeError },
    { amount: Number.POSITIVE_INFINITY, unit: 'CALENDAR_DAYS', error: RangeError },
    { amount: 1.5, unit: 'CALENDAR_DAYS', error: RangeError },
  ] as const)('$amount $unit', ({ amount, unit, error }) => {
    expect(() => dueDate(calendar, at('2026-05-04 09:00'), { amount, unit })).toThrow(error);
  });

  test('an unknown unit', () => {
    const unit = 'HOURS' as unknown as ProcessingUnit;
    expect(() => dueDate(calendar, at('2026-05-04 09:00'), { amount: 1, unit })).toThrow(/unknown processing unit/);
  });
});

describe('dueDateAfterPause in working days', () => {
  test.each([
    { case: 'over a lunch break: only office minutes count', dueAt: '2026-05-06 10:00', pausedAt: '2026-05-04 11:00', resumedAt: '2026-05-04 14:00', expected: '2026-05-06 11:00' },
    { case: 'over a lunch break, the added time crosses lunch', dueAt: '2026-05-06 11:00', pausedAt: '2026-05-04 11:00', resumedAt: '2026-05-04 14:00', expected: '2026-05-06 14:00' },
    { case: 'over a weekend', dueAt: '2026-05-12 16:00', pausedAt: '2026-05-08 16:00', resumedAt: '2026-05-11 08:00', expected: '2026-05-13 08:00' },
    { case: 'inside a weekend: nothing to add', dueAt: '2026-05-11 17:00', pausedAt: '2026-05-09 09:00', resumedAt: '2026-05-10 15:00', expected: '2026-05-11 17:00' },
    { case: 'overnight, outside office hours: nothing to add', dueAt: '2026-05-06 17:00', pausedAt: '2026-05-04 17:30', resumedAt: '2026-05-05 06:30', expected: '2026-05-06 17:00' },
    { case: 'over 30/4–1/5: one working day', dueAt: '2026-05-07 17:00', pausedAt: '2026-04-29 09:00', resumedAt: '2026-05-04 09:00', expected: '2026-05-08 17:00' },
    { case: 'two working days', dueAt: '2026-05-08 09:00', pausedAt: '2026-05-04 09:00', resumedAt: '2026-05-06 09:00', expected: '2026-05-12 09:00' },
    { case: 'a due date at closing moves into the next morning', dueAt: '2026-05-04 17:00', pausedAt: '2026-05-04 09:00', resumedAt: '2026-05-04 09:30', expected: '2026-05-05 07:30' },
    { case: 'the added time runs over Tết 2026', dueAt: '2026-02-13 16:00', pausedAt: '2026-02-10 09:00', resumedAt: '2026-02-11 09:00', expected: '2026-02-23 16:00' },
    { case: 'resumed before paused: unchanged', dueAt: '2026-05-06 10:00', pausedAt: '2026-05-05 10:00', resumedAt: '2026-05-04 10:00', expected: '2026-05-06 10:00' },
    { case: 'resumed when paused: unchanged', dueAt: '2026-05-06 10:00', pausedAt: '2026-05-05 10:00', resumedAt: '2026-05-05 10:00', expected: '2026-05-06 10:00' },
  ])('$case → $expected', ({ dueAt, pausedAt, resumedAt, expected }) => {
    expect(local(dueDateAfterPause(calendar, at(dueAt), 'WORKING_DAYS', at(pausedAt), at(resumedAt)))).toBe(expected);
  });

  test('with office hours 07:30–11:30, 13:00–17:00, a pause over lunch counts the custom hours', () => {
    // Paused 11:00–11:30 and 13:00–14:00: 90 minutes (60 under the default hours, which would give 11:00).
    const pause = [at('2026-05-04 11:00'), at('2026-05-04 14:00')] as const;
    expect(local(dueDateAfterPause(customHours, at('2026-05-06 10:00'), 'WORKING_DAYS', ...pause))).toBe('2026-05-06 11:30');
    expect(local(dueDateAfterPause(calendar, at('2026-05-06 10:00'), 'WORKING_DAYS', ...pause))).toBe('2026-05-06 11:00');
  });
});

describe('dueDateAfterPause in calendar days', () => {
  test.each([
    { case: 'a pause within one day gives back nothing', dueAt: '2026-05-07 17:00', pausedAt: '2026-05-04 10:00', resumedAt: '2026-05-04 15:00', expected: '2026-05-07 17:00' },
    { case: 'a whole office day within one date gives back nothing', dueAt: '2026-05-07 17:00', pausedAt: '2026-05-04 07:00', resumedAt: '2026-05-04 17:00', expected: '2026-05-07 17:00' },
    { case: 'overnight: one midnight, one day', dueAt: '2026-05-07 17:00', pausedAt: '2026-05-04 16:00', resumedAt: '2026-05-05 08:00', expected: '2026-05-08 17:00' },
    { case: 'exactly two days, landing on Saturday', dueAt: '2026-05-07 17:00', pausedAt: '2026-05-04 10:00', resumedAt: '2026-05-06 10:00', expected: '2026-05-11 17:00' },
    { case: 'two days and a minute: still two dates', dueAt: '2026-05-07 17:00', pausedAt: '2026-05-04 10:00', resumedAt: '2026-05-06 10:01', expected: '2026-05-11 17:00' },
    { case: 'two days less an hour: still two dates', dueAt: '2026-05-05 17:00', pausedAt: '2026-05-04 10:00', resumedAt: '2026-05-06 09:00', expected: '2026-05-07 17:00' },
    { case: 'over a weekend, landing on a working day', dueAt: '2026-05-11 17:00', pausedAt: '2026-05-08 16:00', resumedAt: '2026-05-11 08:00', expected: '2026-05-14 17:00' },
    { case: 'landing on 30/4', dueAt: '2026-04-28 17:00', pausedAt: '2026-04-20 09:00', resumedAt: '2026-04-22 09:00', expected: '2026-05-04 17:00' },
    { case: 'landing in Tết 2026', dueAt: '2026-02-12 17:00', pausedAt: '2026-02-02 09:00', resumedAt: '2026-02-07 09:00', expected: '2026-02-23 17:00' },
    { case: 'resumed before paused: unchanged', dueAt: '2026-05-07 17:00', pausedAt: '2026-05-05 10:00', resumedAt: '2026-05-04 10:00', expected: '2026-05-07 17:00' },
  ])('$case → $expected', ({ dueAt, pausedAt, resumedAt, expected }) => {
    expect(local(dueDateAfterPause(calendar, at(dueAt), 'CALENDAR_DAYS', at(pausedAt), at(resumedAt)))).toBe(expected);
  });

  // The issue: a 0.2-second pause at night added a whole day to the due date.
  test.each([
    { case: 'at 02:00', pausedAt: '2026-05-05T02:00:00.000+07:00', resumedAt: '2026-05-05T02:00:00.200+07:00', expected: '2026-05-07 17:00' },
    { case: 'in office hours', pausedAt: '2026-05-05T09:00:00.000+07:00', resumedAt: '2026-05-05T09:00:00.200+07:00', expected: '2026-05-07 17:00' },
    // The count is of dates, as for a dossier received at 23:59: the one pause that crosses midnight gives back that day.
    { case: 'across midnight', pausedAt: '2026-05-05T23:59:59.900+07:00', resumedAt: '2026-05-06T00:00:00.100+07:00', expected: '2026-05-08 17:00' },
  ])('a 0.2-second pause $case → $expected', ({ pausedAt, resumedAt, expected }) => {
    expect(local(dueDateAfterPause(calendar, at('2026-05-07 17:00'), 'CALENDAR_DAYS', new Date(pausedAt), new Date(resumedAt)))).toBe(expected);
  });

  test('a due date that is not at closing time keeps its time on a working day', () => {
    expect(local(dueDateAfterPause(calendar, at('2026-05-07 10:00'), 'CALENDAR_DAYS', at('2026-05-04 09:00'), at('2026-05-05 09:00'))))
      .toBe('2026-05-08 10:00');
  });
});

test('the result is a new Date even when nothing changes', () => {
  const dueAt = at('2026-05-06 10:00');
  const unchanged = dueDateAfterPause(calendar, dueAt, 'WORKING_DAYS', at('2026-05-09 09:00'), at('2026-05-10 09:00'));
  expect(unchanged).toEqual(dueAt);
  expect(unchanged).not.toBe(dueAt);
});
