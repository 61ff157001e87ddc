// The working calendar: public to read (portals show holidays), edited by the province admin; a past
// day corrected only by a platform admin. Every edit is audited (calendarChanges).
import { builder } from '../../schema/builder';
import { CalendarDayKind } from '../../generated/prisma/enums';
import { dateOnly, isoDateOf } from '../../kernel/dates';
import type { CalendarDay } from './holiday-rules';
import type { OfficeInterval } from '../../kernel/vietnam-time';
import * as calendars from './calendar.service';

const CalendarDayKindEnum = builder.enumType(CalendarDayKind, {
  name: 'CalendarDayKind',
  description: 'DAY_OFF: a weekday off (holiday, make-up or swapped day). WORKING_DAY: a Saturday or Sunday worked.',
});

const OfficeIntervalRef = builder.objectRef<OfficeInterval>('OfficeInterval').implement({
  fields: (t) => ({ start: t.exposeString('start'), end: t.exposeString('end') }),
});

const CalendarDayRef = builder.objectRef<CalendarDay>('CalendarDay').implement({
  fields: (t) => ({
    date: t.field({ type: 'Date', resolve: (day) => dateOnly(day.date) }),
    kind: t.expose('kind', { type: CalendarDayKindEnum }),
    name: t.exposeString('name'),
  }),
});

const WorkingCalendarRef = builder.objectRef<{ year: number; officeHours: OfficeInterval[]; days: CalendarDay[] }>('WorkingCalendar').implement({
  description: "A province's year: the days that break the Monday-to-Friday rule, and its office hours.",
  fields: (t) => ({
    year: t.exposeInt('year'),
    officeHours: t.field({ type: [OfficeIntervalRef], resolve: (calendar) => calendar.officeHours }),
    days: t.field({ type: [CalendarDayRef], resolve: (calendar) => calendar.days }),
  }),
});

const CalendarDayInput = builder.inputType('CalendarDayInput', {
  fields: (t) => ({
    date: t.field({ type: 'Date', required: true }),
    kind: t.field({ type: CalendarDayKindEnum, required: true }),
    name: t.string({ required: true, description: 'e.g. "Nghỉ bù Tết Nguyên đán", "Làm bù ngày 2/1".' }),
    reason: t.string({ description: 'Why the day changes; required to correct a past day (platform admins only).' }),
  }),
});

type CalendarChangeRow = Awaited<ReturnType<typeof calendars.calendarChanges>>[number];
const dayOf = (date: Date, kind: CalendarDay['kind'] | null, name: string | null): CalendarDay | null =>
  kind && name !== null ? { date: isoDateOf(date), kind, name } : null;

const CalendarChangeRef = builder.objectRef<CalendarChangeRow>('CalendarChange').implement({
  description: 'One change to a day of the calendar. The audit is append-only.',
  fields: (t) => ({
    date: t.field({ type: 'Date', resolve: (change) => change.date }),
    changedAt: t.field({ type: 'DateTime', resolve: (change) => change.changedAt }),
    callerKind: t.exposeString('callerKind', { description: 'official or platformAdmin' }),
    callerSubject: t.exposeString('callerSubject', { nullable: true, description: "The caller's token subject." }),
    before: t.field({ type: CalendarDayRef, nullable: true, description: 'Null when the day followed the Monday-to-Friday rule.', resolve: (change) => dayOf(change.date, change.oldKind, change.oldName) }),
    after: t.field({ type: CalendarDayRef, nullable: true, description: 'Null when the day was returned to the Monday-to-Friday rule.', resolve: (change) => dayOf(change.date, change.newKind, change.newName) }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

builder.queryFields((t) => ({
  workingCalendar: t.withAuth({ publicInProvince: true }).field({
    type: WorkingCalendarRef,
    skipTypeScopes: true,
    description: "The province's working calendar for a year, filled the first time from the Prime Minister's published days (2020–2026) or else the holiday rules.",
    args: { year: t.arg.int({ required: true }) },
    resolve: (_root, { year }, ctx) => calendars.calendarYear(ctx, year),
  }),
  calendarChanges: t.withAuth({ provinceAdmin: true }).field({
    type: [CalendarChangeRef],
    description: "Every change made to the province's calendar days of a year, newest first.",
    args: { year: t.arg.int({ required: true }) },
    resolve: (_root, { year }, ctx) => calendars.calendarChanges(ctx, year),
  }),
}));

builder.mutationFields((t) => ({
  setCalendarDay: t.withAuth({ provinceAdmin: true }).field({
    type: WorkingCalendarRef,
    description: 'Declares a day off or a working weekend day (or renames one); returns the year. Today and later for a province admin; a past day only for a platform admin, with a reason.',
    args: { input: t.arg({ type: CalendarDayInput, required: true }) },
    resolve: (_root, { input }, ctx) => calendars.setCalendarDay(ctx, input),
  }),
  clearCalendarDay: t.withAuth({ provinceAdmin: true }).field({
    type: WorkingCalendarRef,
    description: 'Returns a day to the Monday-to-Friday rule; returns the year. A past day only for a platform admin, with a reason.',
    args: { date: t.arg({ type: 'Date', required: true }), reason: t.arg.string() },
    resolve: (_root, { date, reason }, ctx) => calendars.clearCalendarDay(ctx, date, reason),
  }),
}));
