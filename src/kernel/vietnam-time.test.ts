import { DEFAULT_OFFICE_HOURS, localDateOf, localDayNumberOf, startOfVietnamMonth, vietnamDateOf, vietnamToday, VIETNAM_UTC_OFFSET_MINUTES, wallClockOf } from './vietnam-time';

test('Vietnam is UTC+7', () => {
  expect(VIETNAM_UTC_OFFSET_MINUTES).toBe(7 * 60);
});

describe('vietnamDateOf and vietnamToday', () => {
  test.each([
    // 06:00 in Cần Thơ is still yesterday in UTC: the local date is what a clerk sees on the wall
    ['2026-05-04T23:00:00Z', '2026-05-05'],
    ['2026-05-04T16:59:59.999Z', '2026-05-04'], // 23:59:59.999 local
    ['2026-05-04T17:00:00Z', '2026-05-05'], // local midnight
    ['2025-06-30T17:00:00Z', '2025-07-01'], // the first minute of the reorganised provinces
    ['2025-12-31T17:00:00Z', '2026-01-01'], // New Year comes seven hours before UTC's
    ['2026-05-05T02:00:00+07:00', '2026-05-05'],
  ])('at %s it is %s in Vietnam', (instant, date) => {
    expect(vietnamDateOf(new Date(instant))).toBe(date);
    expect(vietnamToday(new Date(instant)).toISOString()).toBe(`${date}T00:00:00.000Z`);
  });

  test('refuses an invalid instant', () => {
    expect(() => vietnamDateOf(new Date('not a date'))).toThrow(RangeError);
  });
});

describe('localDateOf and localDayNumberOf at other offsets', () => {
  test.each([
    ['2026-04-29T23:30:00Z', 0, '2026-04-29'],
    ['2026-04-29T23:30:00Z', 420, '2026-04-30'],
    ['2026-04-29T23:30:00Z', 480, '2026-04-30'], // UTC+8, China: the lunar calendar's other reckoning
    ['2026-04-29T03:00:00Z', -300, '2026-04-28'],
  ])('%s at %d minutes is %s', (instant, offset, date) => {
    expect(localDateOf(new Date(instant), offset)).toBe(date);
  });

  test('consecutive local days are consecutive numbers', () => {
    const evening = localDayNumberOf(new Date('2026-05-04T16:59:00Z'));
    const morning = localDayNumberOf(new Date('2026-05-04T17:01:00Z'));
    expect(morning - evening).toBe(1);
  });
});

describe('startOfVietnamMonth', () => {
  test.each([
    [2026, 0, '2025-12-31T17:00:00.000Z'],
    [2026, 3, '2026-03-31T17:00:00.000Z'],
    [2026, 12, '2026-12-31T17:00:00.000Z'], // month 12 is January of the next year
    [2025, 6, '2025-06-30T17:00:00.000Z'], // July 2025
  ])('%d, month index %d begins at %s', (year, monthIndex, instant) => {
    expect(startOfVietnamMonth(year, monthIndex).toISOString()).toBe(instant);
  });
});

test('wallClockOf reads the local time from UTC fields', () => {
  const local = wallClockOf(new Date('2026-04-29T02:15:30Z'));
  expect([local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds()]).toEqual([9, 15, 30]);
});

test('the default office hours are 07:00–11:30 and 13:30–17:00, and cannot be changed in place', () => {
  expect(DEFAULT_OFFICE_HOURS).toEqual([{ start: '07:00', end: '11:30' }, { start: '13:30', end: '17:00' }]);
  expect(Object.isFrozen(DEFAULT_OFFICE_HOURS) && DEFAULT_OFFICE_HOURS.every(Object.isFrozen)).toBe(true);
});
