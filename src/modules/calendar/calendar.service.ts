// A province's working calendar in the database: one row per day that breaks the Monday-to-Friday
// rule. A year is filled the first time anyone needs it, from the Prime Minister's published days
// where the year is announced and from the rules otherwise; after that it is the province admin's
// to edit, and the fill never overwrites it.
import type { ProvinceContext } from '../../context/context';
import type { Db } from '../../db/tenant-scope';
import { AppError, ErrorCode, invalidInput, type FieldError } from '../../errors';
import type { CallerKind } from '../../context/caller';
import { dateOnly, isoDateOf } from '../../kernel/dates';
import { DEFAULT_OFFICE_HOURS, vietnamDateOf, VIETNAM_UTC_OFFSET_MINUTES, type OfficeInterval } from '../../kernel/vietnam-time';
import { calendarFrom, type CalendarDay, type CalendarDayKind } from './holiday-rules';
import { prefilledDaysOf } from './published-holidays';
import type { WorkingCalendar } from './working-calendar';

const yearStart = (year: number) => dateOnly(`${year}-01-01`);

/** Fills the years that have never been filled (published days, else the rules). Safe under concurrent callers. */
export async function ensureCalendarYears(db: Db, tenantId: string, years: readonly number[]): Promise<void> {
  const filled = await db.calendarYear.findMany({ where: { tenantId, year: { in: [...years] } }, select: { year: true } });
  const missing = years.filter((year) => !filled.some((row) => row.year === year));
  for (const year of missing) {
    // The year row is the lock: a concurrent filler waits on it, then finds it taken and does nothing.
    const claimed = await db.$executeRaw`
      INSERT INTO calendar_year (tenant_id, year) VALUES (${tenantId}::uuid, ${year}) ON CONFLICT DO NOTHING`;
    if (claimed === 0) continue;
    await db.calendarDay.createMany({
      data: prefilledDaysOf(year).map((day) => ({ tenantId, date: dateOnly(day.date), kind: day.kind, name: day.name })),
      skipDuplicates: true,
    });
  }
}

export async function officeHoursOf(db: Db, tenantId: string): Promise<OfficeInterval[]> {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { officeHours: true } });
  return (tenant?.officeHours as OfficeInterval[] | undefined) ?? [...DEFAULT_OFFICE_HOURS];
}

/** The calendar covering `fromYear` to `toYear`, filled where needed. */
export async function loadWorkingCalendar(db: Db, tenantId: string, fromYear: number, toYear: number): Promise<WorkingCalendar> {
  const years = Array.from({ length: toYear - fromYear + 1 }, (_, index) => fromYear + index);
  await ensureCalendarYears(db, tenantId, years);
  const [rows, officeHours] = await Promise.all([
    db.calendarDay.findMany({ where: { tenantId, date: { gte: yearStart(fromYear), lt: yearStart(toYear + 1) } }, orderBy: { date: 'asc' } }),
    officeHoursOf(db, tenantId),
  ]);
  return calendarFrom(rows.map(toCalendarDay), officeHours, VIETNAM_UTC_OFFSET_MINUTES);
}

/** The calendar for work starting at `instant`: its year and the next (due dates run over New Year). */
export function calendarAround(db: Db, tenantId: string, instant: Date): Promise<WorkingCalendar> {
  const year = Number(vietnamDateOf(instant).slice(0, 4));
  return loadWorkingCalendar(db, tenantId, year, year + 1);
}

const toCalendarDay = (row: { date: Date; kind: CalendarDayKind; name: string }): CalendarDay => ({ date: isoDateOf(row.date), kind: row.kind, name: row.name });

export async function calendarYear(ctx: ProvinceContext, year: number) {
  const province = ctx.province;
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw invalidInput([{ field: 'year', message: 'Năm phải từ 2000 đến 2100' }]);
  await ensureCalendarYears(ctx.db, province.id, [year]);
  const [rows, officeHours] = await Promise.all([
    ctx.db.calendarDay.findMany({ where: { tenantId: province.id, date: { gte: yearStart(year), lt: yearStart(year + 1) } }, orderBy: { date: 'asc' } }),
    officeHoursOf(ctx.db, province.id),
  ]);
  return { year, officeHours, days: rows.map(toCalendarDay) };
}

/** Pure: what is wrong with a day an admin wants to declare (empty when nothing). */
export function checkCalendarDay(day: { date: Date; kind: CalendarDayKind; name: string }): FieldError[] {
  const errors: FieldError[] = [];
  const weekday = day.date.getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  if (day.kind === 'DAY_OFF' && weekend) errors.push({ field: 'date', message: 'Thứ Bảy, Chủ nhật vốn là ngày nghỉ; chỉ khai báo ngày nghỉ vào ngày thường' });
  if (day.kind === 'WORKING_DAY' && !weekend) errors.push({ field: 'date', message: 'Ngày làm bù phải là thứ Bảy hoặc Chủ nhật' });
  if (!day.name.trim() || day.name.length > 200) errors.push({ field: 'name', message: 'Tên ngày phải có từ 1 đến 200 ký tự' });
  return errors;
}

export const CalendarErrorCode = {
  /** A day before today, edited by anyone but a platform admin. */
  PAST_DAY_LOCKED: 'CALENDAR_PAST_DAY_LOCKED',
} as const;

const MAX_REASON_LENGTH = 500;

/**
 * Pure: may `callerKind` change the calendar of `date` (local 'YYYY-MM-DD') as of `today`? Today and
 * later days are the province admin's. Due dates already computed used the past days, so a past day
 * is corrected only by a platform admin (a wrong pre-fill, a decision entered late), and with a reason.
 */
export function checkCalendarEdit(date: string, today: string, callerKind: CallerKind, reason: string | null | undefined): 'PAST_DAY_LOCKED' | FieldError[] {
  const errors: FieldError[] = [];
  const trimmed = reason?.trim() ?? '';
  if (trimmed.length > MAX_REASON_LENGTH) errors.push({ field: 'reason', message: `Lý do không quá ${MAX_REASON_LENGTH} ký tự` });
  if (date >= today) return errors;
  if (callerKind !== 'platformAdmin') return 'PAST_DAY_LOCKED';
  if (!trimmed) errors.push({ field: 'reason', message: 'Sửa lịch của ngày đã qua phải ghi lý do (ví dụ: số văn bản của Thủ tướng Chính phủ)' });
  return errors;
}

function requireEditable(ctx: ProvinceContext, date: Date, reason: string | null | undefined, now: Date, shapeErrors: FieldError[] = []) {
  const verdict = checkCalendarEdit(isoDateOf(date), vietnamDateOf(now), ctx.caller.kind, reason);
  if (verdict === 'PAST_DAY_LOCKED') {
    throw new AppError(
      CalendarErrorCode.PAST_DAY_LOCKED,
      `Ngày ${isoDateOf(date)} đã qua: hạn xử lý hồ sơ đã tính theo lịch của ngày đó, chỉ quản trị viên nền tảng được sửa (kèm lý do).`,
      { date: isoDateOf(date) },
    );
  }
  const errors = [...shapeErrors, ...verdict];
  if (errors.length) throw invalidInput(errors);
}

type DayRow = { kind: CalendarDayKind; name: string } | null;

/** Appends one change to the calendar's audit; the table takes no updates or deletes. */
async function recordChange(ctx: ProvinceContext, tenantId: string, date: Date, before: DayRow, after: DayRow, reason: string | null | undefined, at: Date) {
  const caller = ctx.caller;
  await ctx.db.calendarChange.create({
    data: {
      tenantId,
      date,
      changedAt: at,
      callerKind: caller.kind,
      callerSubject: 'subject' in caller ? caller.subject : null,
      oldKind: before?.kind ?? null,
      oldName: before?.name ?? null,
      newKind: after?.kind ?? null,
      newName: after?.name ?? null,
      reason: reason?.trim() || null,
    },
  });
}

const sameDay = (a: DayRow, b: DayRow) => a?.kind === b?.kind && a?.name === b?.name;

export async function setCalendarDay(ctx: ProvinceContext, day: { date: Date; kind: CalendarDayKind; name: string; reason?: string | null }) {
  const province = ctx.province;
  const now = ctx.now;
  requireEditable(ctx, day.date, day.reason, now, checkCalendarDay(day));
  await ensureCalendarYears(ctx.db, province.id, [day.date.getUTCFullYear()]);
  const key = { tenantId_date: { tenantId: province.id, date: day.date } };
  const before = await ctx.db.calendarDay.findUnique({ where: key, select: { kind: true, name: true } });
  const after = { kind: day.kind, name: day.name.trim() };
  if (!sameDay(before, after)) {
    await ctx.db.calendarDay.upsert({ where: key, create: { tenantId: province.id, date: day.date, ...after }, update: after });
    await recordChange(ctx, province.id, day.date, before, after, day.reason, now);
  }
  return calendarYear(ctx, day.date.getUTCFullYear());
}

export async function clearCalendarDay(ctx: ProvinceContext, date: Date, reason?: string | null) {
  const province = ctx.province;
  const now = ctx.now;
  requireEditable(ctx, date, reason, now);
  await ensureCalendarYears(ctx.db, province.id, [date.getUTCFullYear()]);
  const key = { tenantId_date: { tenantId: province.id, date } };
  const before = await ctx.db.calendarDay.findUnique({ where: key, select: { kind: true, name: true } });
  if (!before) throw new AppError(ErrorCode.NOT_FOUND, `Ngày ${isoDateOf(date)} không có trong lịch làm việc.`);
  await ctx.db.calendarDay.delete({ where: key });
  await recordChange(ctx, province.id, date, before, null, reason, now);
  return calendarYear(ctx, date.getUTCFullYear());
}

/** The audit of a year's calendar, newest first. */
export async function calendarChanges(ctx: ProvinceContext, year: number) {
  const province = ctx.province;
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw invalidInput([{ field: 'year', message: 'Năm phải từ 2000 đến 2100' }]);
  return ctx.db.calendarChange.findMany({
    where: { tenantId: province.id, date: { gte: yearStart(year), lt: yearStart(year + 1) } },
    orderBy: [{ changedAt: 'desc' }, { id: 'asc' }],
  });
}
