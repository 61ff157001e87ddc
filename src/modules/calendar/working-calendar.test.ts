import { DEFAULT_OFFICE_HOURS, type OfficeInterval } from '../../kernel/vietnam-time';
import { calendarFrom, holidaysOf } from './holiday-rules';
import {
  addWorkingDays,
  addWorkingMinutes,
  closingTimeOf,
  isWorkingDay,
  localDateOf,
  nextOfficeTime,
  nextWorkingDate,
  officeMinutesPerDay,
  workingMinutesBetween,
  workingMinutesPerDay,
  type WorkingCalendar,
} from './working-calendar';

/** 'YYYY-MM-DD HH:mm[:ss]' in Vietnam (UTC+7) → instant. */
const at = (local: string) => new Date(`${local.replace(' ', 'T')}${local.length === 16 ? ':00' : ''}+07:00`);
/** instant → 'YYYY-MM-DD HH:mm[:ss]' in Vietnam, seconds only when not zero. */
const local = (instant: Date) => {
  const text = new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
  return text.endsWith(':00') ? text.slice(0, 16) : text;
};

// Rules-based 2025–2026: 30/4 (Thu) and 1/5 (Fri) 2026 off, Tết 16–20/2/2026 off, Giỗ Tổ on Sunday
// 26/4/2026 made up on Monday 27/4. Saturday 9/5/2026 is declared a working day in `withWorkingSaturday`.
const calendar = calendarFrom([...holidaysOf(2025), ...holidaysOf(2026)]);
const withWorkingSaturday = calendarFrom([
  ...holidaysOf(2026),
  { date: '2026-05-09', kind: 'WORKING_DAY', name: 'Làm bù' },
]);
const custom = (officeHours: readonly OfficeInterval[], utcOffsetMinutes = 420): WorkingCalendar =>
  ({ utcOffsetMinutes, officeHours, daysOff: new Set(), workingWeekendDays: new Set() });

describe('localDateOf', () => {
  test.each([
    { instant: '2026-04-29T16:59:00Z', expected: '2026-04-29', why: '23:59 local' },
    { instant: '2026-04-29T17:00:00Z', expected: '2026-04-30', why: 'local midnight' },
    { instant: '2026-04-29T00:00:00Z', expected: '2026-04-29', why: '07:00 local' },
    { instant: '2025-12-31T18:30:00Z', expected: '2026-01-01', why: 'new year arrives 7 h before UTC' },
  ])('$instant → $expected ($why)', ({ instant, expected }) => {
    expect(localDateOf(calendar, new Date(instant))).toBe(expected);
  });

  test('follows the calendar offset', () => {
    expect(localDateOf(custom(DEFAULT_OFFICE_HOURS, 0), new Date('2026-04-29T23:30:00Z'))).toBe('2026-04-29');
  });
});

describe('isWorkingDay', () => {
  test.each([
    { cal: calendar, date: '2026-05-04', expected: true, why: 'an ordinary Monday' },
    { cal: calendar, date: '2026-05-08', expected: true, why: 'an ordinary Friday' },
    { cal: calendar, date: '2026-05-09', expected: false, why: 'Saturday' },
    { cal: calendar, date: '2026-05-10', expected: false, why: 'Sunday' },
    { cal: calendar, date: '2026-04-30', expected: false, why: 'Ngày Giải phóng miền Nam' },
    { cal: calendar, date: '2026-05-01', expected: false, why: 'Ngày Quốc tế Lao động' },
    { cal: calendar, date: '2026-04-27', expected: false, why: 'Nghỉ bù Giỗ Tổ Hùng Vương' },
    { cal: calendar, date: '2026-02-16', expected: false, why: 'Tết eve' },
    { cal: withWorkingSaturday, date: '2026-05-09', expected: true, why: 'declared working Saturday' },
    { cal: withWorkingSaturday, date: '2026-05-10', expected: false, why: 'the Sunday after it stays off' },
  ])('$date: $expected ($why)', ({ cal, date, expected }) => {
    expect(isWorkingDay(cal, date)).toBe(expected);
  });

  test('a declared working day wins over a day off listed for the same date', () => {
    const both: WorkingCalendar = { ...custom(DEFAULT_OFFICE_HOURS), daysOff: new Set(['2026-05-09']), workingWeekendDays: new Set(['2026-05-09']) };
    expect(isWorkingDay(both, '2026-05-09')).toBe(true);
  });

  test.each(['2026-02-30', '2026-5-4', '04/05/2026', ''])('refuses the malformed date %j', (date) => {
    expect(() => isWorkingDay(calendar, date)).toThrow(/not a date/);
  });
});

describe('officeMinutesPerDay', () => {
  test.each([
    { officeHours: DEFAULT_OFFICE_HOURS, expected: 480 },
    { officeHours: [{ start: '07:30', end: '11:30' }, { start: '13:00', end: '17:00' }], expected: 480 },
    { officeHours: [{ start: '08:00', end: '12:00' }], expected: 240 },
    { officeHours: [{ start: '00:00', end: '24:00' }], expected: 1440 },
    { officeHours: [{ start: '07:00', end: '11:30' }, { start: '11:30', end: '12:00' }], expected: 300 },
  ])('$officeHours.length interval(s) → $expected', ({ officeHours, expected }) => {
    expect(officeMinutesPerDay(custom(officeHours))).toBe(expected);
  });
});

describe('workingMinutesPerDay: 8 hours of office time, at most one office day', () => {
  test.each([
    { officeHours: DEFAULT_OFFICE_HOURS, expected: 480, why: 'the default 8 hours' },
    { officeHours: [{ start: '07:00', end: '11:30' }, { start: '13:00', end: '17:00' }], expected: 480, why: '8.5 office hours' },
    { officeHours: [{ start: '00:00', end: '24:00' }], expected: 480, why: 'open round the clock' },
    { officeHours: [{ start: '08:00', end: '12:00' }], expected: 240, why: 'a morning office: one office day' },
  ])('$why → $expected', ({ officeHours, expected }) => {
    expect(workingMinutesPerDay(custom(officeHours))).toBe(expected);
  });
});

describe('office hours are validated', () => {
  test.each([
    { officeHours: [], error: /empty/ },
    { officeHours: [{ start: '7:00', end: '11:30' }], error: /not a local time/ },
    { officeHours: [{ start: '07:00', end: '25:00' }], error: /not a local time/ },
    { officeHours: [{ start: '07:60', end: '11:30' }], error: /not a local time/ },
    { officeHours: [{ start: '24:00', end: '24:00' }], error: /not a local time/ },
    { officeHours: [{ start: '24:00', end: '24:30' }], error: /not a local time/ },
    { officeHours: [{ start: '11:30', end: '07:00' }], error: /ends before it starts/ },
    { officeHours: [{ start: '07:00', end: '07:00' }], error: /ends before it starts/ },
    { officeHours: [{ start: '07:00', end: '12:00' }, { start: '11:30', end: '17:00' }], error: /overlaps/ },
    { officeHours: [{ start: '13:30', end: '17:00' }, { start: '07:00', end: '11:30' }], error: /overlaps or precedes/ },
  ])('$officeHours throws $error', ({ officeHours, error }) => {
    expect(() => workingMinutesPerDay(custom(officeHours))).toThrow(error);
    expect(() => nextOfficeTime(custom(officeHours), at('2026-05-04 09:00'))).toThrow(error);
  });
});

describe('nextOfficeTime', () => {
  test.each([
    { cal: calendar, instant: '2026-05-04 06:00', expected: '2026-05-04 07:00', why: 'before opening' },
    { cal: calendar, instant: '2026-05-04 07:00', expected: '2026-05-04 07:00', why: 'the opening itself' },
    { cal: calendar, instant: '2026-05-04 09:15:30', expected: '2026-05-04 09:15:30', why: 'inside the morning, seconds kept' },
    { cal: calendar, instant: '2026-05-04 11:29', expected: '2026-05-04 11:29', why: 'last minute of the morning' },
    { cal: calendar, instant: '2026-05-04 11:30', expected: '2026-05-04 13:30', why: 'lunch starts: the end is not office time' },
    { cal: calendar, instant: '2026-05-04 12:15', expected: '2026-05-04 13:30', why: 'lunch break' },
    { cal: calendar, instant: '2026-05-04 16:59', expected: '2026-05-04 16:59', why: 'last minute of the day' },
    { cal: calendar, instant: '2026-05-04 17:00', expected: '2026-05-05 07:00', why: 'closing time' },
    { cal: calendar, instant: '2026-05-04 23:59', expected: '2026-05-05 07:00', why: 'late evening' },
    { cal: calendar, instant: '2026-05-08 20:00', expected: '2026-05-11 07:00', why: 'Friday evening' },
    { cal: calendar, instant: '2026-05-09 10:00', expected: '2026-05-11 07:00', why: 'Saturday' },
    { cal: calendar, instant: '2026-04-29 17:00', expected: '2026-05-04 07:00', why: 'eve of 30/4 and 1/5, then a weekend' },
    { cal: calendar, instant: '2026-04-30 09:00', expected: '2026-05-04 07:00', why: 'on a holiday' },
    { cal: calendar, instant: '2026-02-13 17:30', expected: '2026-02-23 07:00', why: 'Friday before Tết 2026' },
    { cal: calendar, instant: '2026-04-24 18:00', expected: '2026-04-28 07:00', why: 'weekend then Nghỉ bù Giỗ Tổ' },
    { cal: withWorkingSaturday, instant: '2026-05-08 18:00', expected: '2026-05-09 07:00', why: 'declared working Saturday' },
  ])('$instant → $expected ($why)', ({ cal, instant, expected }) => {
    expect(local(nextOfficeTime(cal, at(instant)))).toBe(expected);
  });

  test('in UTC, with one interval', () => {
    const utc = custom([{ start: '09:00', end: '17:00' }], 0);
    expect(nextOfficeTime(utc, new Date('2026-05-04T17:00:00Z')).toISOString()).toBe('2026-05-05T09:00:00.000Z');
  });

  test('returns a copy, never the Date it was given', () => {
    const receivedAt = at('2026-05-04 09:00');
    const result = nextOfficeTime(calendar, receivedAt);
    expect(result).toEqual(receivedAt);
    expect(result).not.toBe(receivedAt);
  });

  test('refuses an invalid Date', () => {
    expect(() => nextOfficeTime(calendar, new Date('not a date'))).toThrow(/invalid date/);
  });

  test('gives up after 3 years without a working day', () => {
    const start = Date.UTC(2026, 0, 1);
    const everyDay = Array.from({ length: 4 * 366 }, (_, index) => new Date(start + index * 86_400_000).toISOString().slice(0, 10));
    const neverOpen: WorkingCalendar = { ...custom(DEFAULT_OFFICE_HOURS), daysOff: new Set(everyDay) };
    expect(() => nextOfficeTime(neverOpen, at('2026-01-01 09:00'))).toThrow(/3 years/);
    expect(() => nextWorkingDate(neverOpen, '2026-01-01')).toThrow(/3 years/);
  });
});

describe('addWorkingMinutes', () => {
  test.each([
    { from: '2026-05-04 07:00', minutes: 0, expected: '2026-05-04 07:00', why: '0 inside office hours: itself' },
    { from: '2026-05-04 06:00', minutes: 0, expected: '2026-05-04 07:00', why: '0 before opening: the opening' },
    { from: '2026-05-04 17:00', minutes: 0, expected: '2026-05-05 07:00', why: '0 at closing: next opening' },
    { from: '2026-05-04 07:00', minutes: 1, expected: '2026-05-04 07:01', why: 'one minute' },
    { from: '2026-05-04 07:00', minutes: 270, expected: '2026-05-04 11:30', why: 'lands on the lunch break: its start' },
    { from: '2026-05-04 07:00', minutes: 271, expected: '2026-05-04 13:31', why: 'one minute past the morning' },
    { from: '2026-05-04 07:00', minutes: 480, expected: '2026-05-04 17:00', why: 'a full day lands on closing time' },
    { from: '2026-05-04 07:00', minutes: 481, expected: '2026-05-05 07:01', why: 'one minute past the day' },
    { from: '2026-05-04 11:00', minutes: 60, expected: '2026-05-04 14:00', why: 'across lunch' },
    { from: '2026-05-04 12:00', minutes: 30, expected: '2026-05-04 14:00', why: 'starting at lunch' },
    { from: '2026-05-04 06:00', minutes: 30, expected: '2026-05-04 07:30', why: 'starting before opening' },
    { from: '2026-05-08 16:30', minutes: 60, expected: '2026-05-11 07:30', why: 'across a weekend' },
    { from: '2026-04-29 16:00', minutes: 120, expected: '2026-05-04 08:00', why: 'across 30/4, 1/5 and the weekend' },
    { from: '2026-05-04 07:00:30', minutes: 1, expected: '2026-05-04 07:01:30', why: 'seconds kept' },
    { from: '2026-05-04 07:00', minutes: 0.5, expected: '2026-05-04 07:00:30', why: 'fractional minutes' },
  ])('$from + $minutes min → $expected ($why)', ({ from, minutes, expected }) => {
    expect(local(addWorkingMinutes(calendar, at(from), minutes))).toBe(expected);
  });

  test.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %p minutes', (minutes) => {
    expect(() => addWorkingMinutes(calendar, at('2026-05-04 07:00'), minutes)).toThrow(RangeError);
  });

  test('gives up past 3 years of calendar days', () => {
    expect(() => addWorkingDays(calendar, at('2026-05-04 07:00'), 1000)).toThrow(/3 years/);
  });
});

describe('workingMinutesBetween', () => {
  test.each([
    { from: '2026-05-04 09:00', to: '2026-05-04 09:00', expected: 0, why: 'empty range' },
    { from: '2026-05-04 10:00', to: '2026-05-04 09:00', expected: 0, why: 'reversed range' },
    { from: '2026-05-04 07:00', to: '2026-05-04 17:00', expected: 480, why: 'one office day' },
    { from: '2026-05-04 00:00', to: '2026-05-05 00:00', expected: 480, why: 'one calendar day' },
    { from: '2026-05-04 11:00', to: '2026-05-04 14:00', expected: 60, why: 'across lunch' },
    { from: '2026-05-04 12:00', to: '2026-05-04 13:00', expected: 0, why: 'inside lunch' },
    { from: '2026-05-04 06:00', to: '2026-05-04 07:30', expected: 30, why: 'from before opening' },
    { from: '2026-05-04 16:30', to: '2026-05-04 20:00', expected: 30, why: 'to after closing' },
    { from: '2026-05-08 16:00', to: '2026-05-11 08:00', expected: 120, why: 'across a weekend' },
    { from: '2026-05-09 09:00', to: '2026-05-10 15:00', expected: 0, why: 'inside a weekend' },
    { from: '2026-04-29 16:00', to: '2026-05-04 08:00', expected: 120, why: 'across 30/4, 1/5 and the weekend' },
    { from: '2026-05-11 00:00', to: '2026-05-18 00:00', expected: 2400, why: 'an ordinary week' },
    { from: '2026-02-09 00:00', to: '2026-02-23 00:00', expected: 2400, why: 'the two weeks around Tết 2026' },
    { from: '2026-05-04 07:00', to: '2026-05-04 07:00:30', expected: 0.5, why: 'seconds count' },
  ])('$from → $to: $expected ($why)', ({ from, to, expected }) => {
    expect(workingMinutesBetween(calendar, at(from), at(to))).toBe(expected);
  });

  test('counts a declared working Saturday', () => {
    expect(workingMinutesBetween(withWorkingSaturday, at('2026-05-08 17:00'), at('2026-05-11 07:00'))).toBe(480);
  });

  test.each([
    { from: '2026-05-04 09:00', to: '2026-05-04 16:00' },
    { from: '2026-04-29 16:59', to: '2026-05-04 16:59' },
    { from: '2026-02-13 10:00', to: '2026-02-25 10:00' },
    { from: '2025-12-31 08:00', to: '2026-03-02 15:45' },
  ])('undoes addWorkingMinutes: $from → $to', ({ from, to }) => {
    const minutes = workingMinutesBetween(calendar, at(from), at(to));
    expect(local(addWorkingMinutes(calendar, at(from), minutes))).toBe(to);
  });
});

describe('addWorkingDays', () => {
  test.each([
    { cal: calendar, from: '2026-05-04 09:00', days: 0, expected: '2026-05-04 09:00' },
    { cal: calendar, from: '2026-05-04 09:00', days: 1, expected: '2026-05-05 09:00' },
    { cal: calendar, from: '2026-05-04 09:00', days: 5, expected: '2026-05-11 09:00' },
    { cal: calendar, from: '2026-05-04 09:00', days: 0.5, expected: '2026-05-04 15:00' },
    { cal: calendar, from: '2026-04-29 09:00', days: 1, expected: '2026-05-04 09:00' },
    { cal: calendar, from: '2026-04-24 09:00', days: 1, expected: '2026-04-28 09:00' },
    { cal: withWorkingSaturday, from: '2026-05-08 09:00', days: 1, expected: '2026-05-09 09:00' },
  ])('$from + $days → $expected', ({ cal, from, days, expected }) => {
    expect(local(addWorkingDays(cal, at(from), days))).toBe(expected);
  });

  test('a year of working days walks day by day, fast', () => {
    const twoYears = calendarFrom([...holidaysOf(2026), ...holidaysOf(2027)]);
    const startedAt = performance.now();
    const dueAt = addWorkingDays(twoYears, at('2026-01-02 09:00'), 300);
    expect(performance.now() - startedAt).toBeLessThan(200);
    expect(workingMinutesBetween(twoYears, at('2026-01-02 09:00'), dueAt)).toBe(300 * 480);
    expect(local(dueAt).slice(11)).toBe('09:00');
  });
});

describe('closingTimeOf', () => {
  test.each([
    { cal: calendar, date: '2026-05-04', expected: '2026-05-04 17:00' },
    { cal: calendar, date: '2026-04-30', expected: '2026-04-30 17:00' }, // a day off still has a closing time
    { cal: custom([{ start: '07:30', end: '11:30' }, { start: '13:00', end: '16:30' }]), date: '2026-05-04', expected: '2026-05-04 16:30' },
    { cal: custom([{ start: '08:00', end: '24:00' }]), date: '2026-05-04', expected: '2026-05-05 00:00' },
  ])('$date → $expected', ({ cal, date, expected }) => {
    expect(local(closingTimeOf(cal, date))).toBe(expected);
  });
});

describe('nextWorkingDate', () => {
  test.each([
    { cal: calendar, date: '2026-05-04', expected: '2026-05-04' },
    { cal: calendar, date: '2026-04-30', expected: '2026-05-04' },
    { cal: calendar, date: '2026-05-09', expected: '2026-05-11' },
    { cal: calendar, date: '2026-02-14', expected: '2026-02-23' },
    { cal: calendar, date: '2026-04-25', expected: '2026-04-28' },
    { cal: calendar, date: '2025-12-31', expected: '2025-12-31' },
    { cal: calendar, date: '2026-01-01', expected: '2026-01-02' },
    { cal: withWorkingSaturday, date: '2026-05-09', expected: '2026-05-09' },
  ])('$date → $expected', ({ cal, date, expected }) => {
    expect(nextWorkingDate(cal, date)).toBe(expected);
  });
});
