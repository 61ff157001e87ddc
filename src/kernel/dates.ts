// Calendar dates as 'YYYY-MM-DD' text, the form the API, the manifests and the working calendar use.
// Pure, and independent of the server's time zone: a date is a day number counted in UTC.

export const DAY_MS = 86_400_000;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' text; NaN when it is not shaped like one. */
const dayNumberOrNaN = (date: string) => (ISO_DATE.test(date) ? Date.parse(`${date}T00:00:00Z`) / DAY_MS : NaN);

/** 'YYYY-MM-DD' of a day number (days since 1970-01-01). */
export function dateOfDayNumber(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' naming a day that exists: Date.parse rolls 2026-02-30 over to March, the round trip catches it. */
export function isRealDate(text: string): boolean {
  const dayNumber = dayNumberOrNaN(text);
  return Number.isFinite(dayNumber) && dateOfDayNumber(dayNumber) === text;
}

/** Days since 1970-01-01 of a real 'YYYY-MM-DD'; throws on anything else. */
export function dayNumberOf(date: string): number {
  if (!isRealDate(date)) throw new RangeError(`"${date}" is not a date 'YYYY-MM-DD'`);
  return dayNumberOrNaN(date);
}

/** The date `days` days after (before, when negative) a real 'YYYY-MM-DD'. */
export const addDays = (date: string, days: number) => dateOfDayNumber(dayNumberOf(date) + days);

/** 'YYYY-MM-DD' → the Date Prisma reads from and writes to a `@db.Date` column (UTC midnight). */
export function dateOnly(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

/** A `@db.Date` value (UTC midnight) → 'YYYY-MM-DD'. */
export function isoDateOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}
