// The working calendar: public to read (portals show holidays), edited by the province admin.
import { builder } from '../../schema/builder';
import { CalendarDayKind } from '../../generated/prisma/enums';
import type { CalendarDay } from './holiday-rules';
import type { OfficeInterval } from './working-calendar';
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
    date: t.field({ type: 'Date', resolve: (day) => new Date(`${day.date}T00:00:00Z`) }),
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
  }),
});

builder.queryFields((t) => ({
  workingCalendar: t.field({
    type: WorkingCalendarRef,
    skipTypeScopes: true,
    authScopes: { public: true },
    description: "The province's working calendar for a year, filled from the holiday rules the first time.",
    args: { year: t.arg.int({ required: true }) },
    resolve: (_root, { year }, ctx) => calendars.calendarYear(ctx, year),
  }),
}));

builder.mutationFields((t) => ({
  setCalendarDay: t.field({
    type: WorkingCalendarRef,
    authScopes: { provinceAdmin: true },
    description: 'Declares a day off or a working weekend day (or renames one); returns the year.',
    args: { input: t.arg({ type: CalendarDayInput, required: true }) },
    resolve: (_root, { input }, ctx) => calendars.setCalendarDay(ctx, input),
  }),
  clearCalendarDay: t.field({
    type: WorkingCalendarRef,
    authScopes: { provinceAdmin: true },
    description: 'Returns a day to the Monday-to-Friday rule; returns the year.',
    args: { date: t.arg({ type: 'Date', required: true }) },
    resolve: (_root, { date }, ctx) => calendars.clearCalendarDay(ctx, date),
  }),
}));
