// The Vietnamese lunar calendar, after Hồ Ngọc Đức's published algorithm ("Âm lịch Việt Nam"):
// months start on the local day of the astronomical new moon, month 11 is the one that contains
// the winter solstice, and in a 13-month year the leap month is the first one without a major
// solar term. Computed for UTC+7 because Vietnam's calendar is (since 1968) reckoned at UTC+7,
// which is why Tết sometimes falls a day apart from the Chinese New Year.
// Written out here rather than taken from a package: it is ~100 lines, has no dependencies and
// is checked against known Tết and Giỗ Tổ dates in lunar.test.ts.

const VIETNAM_TIME_ZONE_HOURS = 7;
const SYNODIC_MONTH_DAYS = 29.530588853;
/** Julian day of the new moon of 1 January 1900, the origin of the new-moon index k. */
const NEW_MOON_EPOCH_JD = 2415021.076998695;
// The approximations below hold to about a day outside this range.
const MIN_YEAR = 1900;
const MAX_YEAR = 2199;

const DEGREE = Math.PI / 180;

function julianDayOf(day: number, month: number, year: number): number {
  const a = Math.floor((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  return day + Math.floor((153 * m + 2) / 5) + 365 * y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) - 32045;
}

function isoDateOfJulianDay(julianDay: number): string {
  const a = julianDay + 32044;
  const b = Math.floor((4 * a + 3) / 146097);
  const c = a - Math.floor((b * 146097) / 4);
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  const day = e - Math.floor((153 * m + 2) / 5) + 1;
  const month = m + 3 - 12 * Math.floor(m / 10);
  const year = b * 100 + d - 4800 + Math.floor(m / 10);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Julian day (fractional, UT) of the k-th new moon after 1 January 1900 (Meeus, low precision). */
function newMoonJulianDay(k: number): number {
  const t = k / 1236.85;
  const t2 = t * t;
  const t3 = t2 * t;
  let mean = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
  mean += 0.00033 * Math.sin((166.56 + 132.87 * t - 0.009173 * t2) * DEGREE);
  const sunAnomaly = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
  const moonAnomaly = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
  const moonLatitude = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
  const sin = (degrees: number) => Math.sin(degrees * DEGREE);
  const correction =
    (0.1734 - 0.000393 * t) * sin(sunAnomaly) + 0.0021 * sin(2 * sunAnomaly)
    - 0.4068 * sin(moonAnomaly) + 0.0161 * sin(2 * moonAnomaly)
    - 0.0004 * sin(3 * moonAnomaly)
    + 0.0104 * sin(2 * moonLatitude) - 0.0051 * sin(sunAnomaly + moonAnomaly)
    - 0.0074 * sin(sunAnomaly - moonAnomaly) + 0.0004 * sin(2 * moonLatitude + sunAnomaly)
    - 0.0004 * sin(2 * moonLatitude - sunAnomaly) - 0.0006 * sin(2 * moonLatitude + moonAnomaly)
    + 0.001 * sin(2 * moonLatitude - moonAnomaly) + 0.0005 * sin(2 * moonAnomaly + sunAnomaly);
  const deltaT = t < -11
    ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    : -0.000278 + 0.000265 * t + 0.000262 * t2;
  return mean + correction - deltaT;
}

/** The sun's apparent longitude in radians, [0, 2π), at a Julian day (UT). */
function sunLongitude(julianDay: number): number {
  const t = (julianDay - 2451545.0) / 36525;
  const t2 = t * t;
  const meanAnomaly = 357.5291 + 35999.0503 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
  const meanLongitude = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  let equationOfCentre = (1.9146 - 0.004817 * t - 0.000014 * t2) * Math.sin(DEGREE * meanAnomaly);
  equationOfCentre += (0.019993 - 0.000101 * t) * Math.sin(DEGREE * 2 * meanAnomaly) + 0.00029 * Math.sin(DEGREE * 3 * meanAnomaly);
  const longitude = (meanLongitude + equationOfCentre) * DEGREE;
  return longitude - 2 * Math.PI * Math.floor(longitude / (2 * Math.PI));
}

/** Local day (Julian day number) on which the k-th new moon falls. */
function newMoonDay(k: number): number {
  return Math.floor(newMoonJulianDay(k) + 0.5 + VIETNAM_TIME_ZONE_HOURS / 24);
}

/** Which of the 12 major solar terms (30° sectors) the sun is in at the start of a local day. */
function solarTermAt(dayNumber: number): number {
  return Math.floor((sunLongitude(dayNumber - 0.5 - VIETNAM_TIME_ZONE_HOURS / 24) / Math.PI) * 6);
}

/** First day of lunar month 11 (the month with the winter solstice) that begins in `year`. */
function startOfMonth11(year: number): number {
  const offset = julianDayOf(31, 12, year) - 2415021;
  const k = Math.floor(offset / SYNODIC_MONTH_DAYS);
  const candidate = newMoonDay(k);
  // A month starting after the sun passed 270° does not contain the solstice: take the previous one.
  return solarTermAt(candidate) >= 9 ? newMoonDay(k - 1) : candidate;
}

/** In a leap year, how many months after month 11 the leap month comes (the first without a new solar term). */
function leapMonthOffset(month11Start: number): number {
  const k = Math.floor((month11Start - NEW_MOON_EPOCH_JD) / SYNODIC_MONTH_DAYS + 0.5);
  let index = 1;
  let term = solarTermAt(newMoonDay(k + index));
  let previousTerm: number;
  do {
    previousTerm = term;
    index += 1;
    term = solarTermAt(newMoonDay(k + index));
  } while (term !== previousTerm && index < 14);
  return index - 1;
}

function assertSupportedYear(lunarYear: number): void {
  if (!Number.isInteger(lunarYear) || lunarYear < MIN_YEAR || lunarYear > MAX_YEAR) {
    throw new RangeError(`lunar year ${lunarYear} is outside ${MIN_YEAR}–${MAX_YEAR}`);
  }
}

/**
 * The solar date ('YYYY-MM-DD') of a Vietnamese lunar date. `lunarYear` is the year in which that
 * lunar year's month 1 starts; months 11 and 12 therefore fall in January of `lunarYear + 1` at the
 * latest. Throws for a day the month does not have (30 in a 29-day month) or a leap month that the
 * year does not have.
 */
export function solarDateOf(lunarDay: number, lunarMonth: number, lunarYear: number, leap = false): string {
  assertSupportedYear(lunarYear);
  if (!Number.isInteger(lunarMonth) || lunarMonth < 1 || lunarMonth > 12) throw new RangeError(`lunar month ${lunarMonth} is not 1–12`);
  if (!Number.isInteger(lunarDay) || lunarDay < 1 || lunarDay > 30) throw new RangeError(`lunar day ${lunarDay} is not 1–30`);

  // Count from the month 11 that precedes the requested month.
  const [month11Start, nextMonth11Start] = lunarMonth < 11
    ? [startOfMonth11(lunarYear - 1), startOfMonth11(lunarYear)]
    : [startOfMonth11(lunarYear), startOfMonth11(lunarYear + 1)];
  const k = Math.floor(0.5 + (month11Start - NEW_MOON_EPOCH_JD) / SYNODIC_MONTH_DAYS);
  let monthsAfter11 = (lunarMonth - 11 + 12) % 12;

  const hasLeapMonth = nextMonth11Start - month11Start > 365;
  if (hasLeapMonth) {
    const leapOffset = leapMonthOffset(month11Start);
    const leapMonth = (leapOffset - 2 + 12) % 12;
    if (leap && lunarMonth !== leapMonth) throw new RangeError(`lunar year ${lunarYear} has no leap month ${lunarMonth}`);
    if (leap || monthsAfter11 >= leapOffset) monthsAfter11 += 1;
  } else if (leap) {
    throw new RangeError(`lunar year ${lunarYear} has no leap month`);
  }

  const monthStart = newMoonDay(k + monthsAfter11);
  const nextMonthStart = newMoonDay(k + monthsAfter11 + 1);
  if (monthStart + lunarDay - 1 >= nextMonthStart) {
    throw new RangeError(`lunar month ${lunarMonth}${leap ? ' (leap)' : ''} of ${lunarYear} has only ${nextMonthStart - monthStart} days`);
  }
  return isoDateOfJulianDay(monthStart + lunarDay - 1);
}

/** The solar date of Tết (1st day of the 1st lunar month) in solar `year`. */
export function lunarNewYear(year: number): string {
  return solarDateOf(1, 1, year);
}
