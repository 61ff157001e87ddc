// Reporting periods: a year, a quarter or a month, as local (Vietnam) instants and as the months the
// roll-ups are kept by. Pure.
import { invalidInput } from '../../errors';
import { startOfVietnamMonth } from '../../kernel/vietnam-time';
import type { MonthRange } from './monthly-figures';

export interface PeriodInput {
  year: number;
  quarter?: number | null;
  month?: number | null;
}

export interface Period {
  label: string;
  start: Date;
  end: Date;
  /** The same months as the roll-ups name them. */
  months: MonthRange;
}

const firstDay = (year: number, monthIndex: number) => {
  const date = new Date(Date.UTC(year, monthIndex, 1));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-01`;
};

const periodOfMonths = (label: string, year: number, first: number, count: number): Period => ({
  label,
  start: startOfVietnamMonth(year, first),
  end: startOfVietnamMonth(year, first + count),
  months: { from: firstDay(year, first), to: firstDay(year, first + count) },
});

/** Pure: a month, a quarter or a year that has begun by `now`, as instants from local midnight to local midnight. */
export function periodOf(input: PeriodInput, now: Date): Period {
  const errors = [];
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) errors.push({ field: 'period.year', message: 'Năm phải từ 2000 đến 2100' });
  if (input.month != null && input.quarter != null) errors.push({ field: 'period', message: 'Chọn tháng hoặc quý, không chọn cả hai' });
  if (input.month != null && (!Number.isInteger(input.month) || input.month < 1 || input.month > 12)) errors.push({ field: 'period.month', message: 'Tháng phải từ 1 đến 12' });
  if (input.quarter != null && (!Number.isInteger(input.quarter) || input.quarter < 1 || input.quarter > 4)) errors.push({ field: 'period.quarter', message: 'Quý phải từ 1 đến 4' });
  if (errors.length) throw invalidInput(errors);
  const period =
    input.month != null
      ? periodOfMonths(`${String(input.month).padStart(2, '0')}/${input.year}`, input.year, input.month - 1, 1)
      : input.quarter != null
        ? periodOfMonths(`Quý ${input.quarter}/${input.year}`, input.year, (input.quarter - 1) * 3, 3)
        : periodOfMonths(`Năm ${input.year}`, input.year, 0, 12);
  if (period.start > now) throw invalidInput([{ field: 'period', message: 'Kỳ báo cáo chưa bắt đầu' }]);
  return period;
}

