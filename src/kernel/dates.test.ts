import { addDays, dateOfDayNumber, dateOnly, dayNumberOf, isoDateOf, isRealDate } from './dates';

describe('isRealDate', () => {
  test.each([
    ['2026-04-29', true],
    ['2025-07-01', true], // the reorganised provinces' first day
    ['2024-02-29', true], // leap year
    ['2000-02-29', true], // divisible by 400
    ['1900-01-01', true],
    ['2026-02-29', false], // common year
    ['1900-02-29', false], // divisible by 100, not by 400
    ['2026-02-30', false], // Date would roll it over to 2 March
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-04-00', false],
    ['2026-4-29', false],
    ['29/04/2026', false],
    ['20260429', false],
    ['2026-04-29T00:00:00Z', false],
    [' 2026-04-29', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(isRealDate(text)).toBe(expected);
  });
});

describe('day numbers', () => {
  test.each([
    ['1970-01-01', 0],
    ['1969-12-31', -1],
    ['2025-07-01', 20270],
    ['2026-04-29', 20572],
  ])('%s is day %d and back', (date, dayNumber) => {
    expect(dayNumberOf(date)).toBe(dayNumber);
    expect(dateOfDayNumber(dayNumber)).toBe(date);
  });

  test.each(['2026-02-30', '30/04/2026', ''])('dayNumberOf refuses %j', (text) => {
    expect(() => dayNumberOf(text)).toThrow(RangeError);
  });

  test.each([
    ['2026-04-29', 1, '2026-04-30'],
    ['2026-04-30', 1, '2026-05-01'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-04-29', 0, '2026-04-29'],
    ['2026-01-01', 365, '2027-01-01'],
  ])('addDays(%s, %d) = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });
});

describe('@db.Date values', () => {
  test.each(['2025-07-01', '1968-02-29', '2099-12-31'])('%s ⇄ UTC midnight', (date) => {
    expect(dateOnly(date).toISOString()).toBe(`${date}T00:00:00.000Z`);
    expect(isoDateOf(dateOnly(date))).toBe(date);
  });
});
