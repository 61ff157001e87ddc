// Dossier statistics for a province under the national on-time rule (Quyết định 766/QĐ-TTg):
// received, finished early / on time / late, open within time / overdue at the end of the period,
// online share and on-time rate, grouped by agency, procedure, field or channel.
//
// Cost: three range scans on indexes (received in the period, ended in the period, open at its end)
// rather than a pass over the province's dossiers. A period that is over can no longer change, so
// its figures are computed once per process and kept.
import { Prisma } from '../../generated/prisma/client';
import type { ProvinceContext } from '../../context/context';
import { invalidInput } from '../../errors';
import { startOfVietnamMonth } from '../../kernel/vietnam-time';
import { onTimeRate, overdueUnder766Sql } from './on-time';

export type StatisticsGroup = 'AGENCY' | 'PROCEDURE' | 'FIELD' | 'CHANNEL';

export interface PeriodInput {
  year: number;
  quarter?: number | null;
  month?: number | null;
}

export interface Period {
  label: string;
  start: Date;
  end: Date;
}

/** Pure: a month, a quarter or a year, as instants from local midnight to local midnight. */
export function periodOf(input: PeriodInput): Period {
  const errors = [];
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) errors.push({ field: 'period.year', message: 'Năm phải từ 2000 đến 2100' });
  if (input.month != null && input.quarter != null) errors.push({ field: 'period', message: 'Chọn tháng hoặc quý, không chọn cả hai' });
  if (input.month != null && (!Number.isInteger(input.month) || input.month < 1 || input.month > 12)) errors.push({ field: 'period.month', message: 'Tháng phải từ 1 đến 12' });
  if (input.quarter != null && (!Number.isInteger(input.quarter) || input.quarter < 1 || input.quarter > 4)) errors.push({ field: 'period.quarter', message: 'Quý phải từ 1 đến 4' });
  if (errors.length) throw invalidInput(errors);
  if (input.month != null) {
    return { label: `${String(input.month).padStart(2, '0')}/${input.year}`, start: startOfVietnamMonth(input.year, input.month - 1), end: startOfVietnamMonth(input.year, input.month) };
  }
  if (input.quarter != null) {
    const first = (input.quarter - 1) * 3;
    return { label: `Quý ${input.quarter}/${input.year}`, start: startOfVietnamMonth(input.year, first), end: startOfVietnamMonth(input.year, first + 3) };
  }
  return { label: `Năm ${input.year}`, start: startOfVietnamMonth(input.year, 0), end: startOfVietnamMonth(input.year + 1, 0) };
}

export interface StatisticsRow {
  key: string;
  label: string;
  received: number;
  receivedOnline: number;
  finishedEarly: number;
  finishedOnTime: number;
  finishedLate: number;
  openWithinTime: number;
  openOverdue: number;
  /** Share of received dossiers filed online; null when none were received. */
  onlineShare: number | null;
  /** (early + on time) / finished; null when none finished. */
  onTimeRate: number | null;
}

export interface DossierStatistics {
  period: Period;
  groupBy: StatisticsGroup;
  /** When open dossiers were judged: the end of the period, or now while it runs. */
  judgedAt: Date;
  rows: StatisticsRow[];
  total: StatisticsRow;
}

const GROUP_KEY: Record<StatisticsGroup, Prisma.Sql> = {
  AGENCY: Prisma.sql`agency_id::text`,
  PROCEDURE: Prisma.sql`procedure_id::text`,
  FIELD: Prisma.sql`field_code`,
  CHANNEL: Prisma.sql`channel::text`,
};

const CHANNEL_LABEL: Record<string, string> = { IN_PERSON: 'Trực tiếp', ONLINE: 'Trực tuyến', POSTAL: 'Bưu chính công ích' };

interface CountRow {
  key: string;
  received: number;
  received_online: number;
  early: number;
  on_time: number;
  late: number;
  open_within: number;
  open_overdue: number;
}

/** Pure: the derived rates of a row of counts. */
export function withRates(key: string, label: string, counts: Omit<CountRow, 'key'>): StatisticsRow {
  return {
    key,
    label,
    received: counts.received,
    receivedOnline: counts.received_online,
    finishedEarly: counts.early,
    finishedOnTime: counts.on_time,
    finishedLate: counts.late,
    openWithinTime: counts.open_within,
    openOverdue: counts.open_overdue,
    onlineShare: counts.received ? counts.received_online / counts.received : null,
    onTimeRate: onTimeRate({ early: counts.early, onTime: counts.on_time, late: counts.late }),
  };
}

async function countByGroup(ctx: ProvinceContext, groupBy: StatisticsGroup, period: Period, judgedAt: Date): Promise<CountRow[]> {
  const key = GROUP_KEY[groupBy];
  // Open at the end of the period: not ended by then (still open, or ended later). Both judged by
  // isOverdueUnder766's SQL form (on-time.ts), the paused clock included: a dossier that ended later
  // has no pausedAt left (leaving a pause clears it) and is judged at judgedAt.
  const overdue = overdueUnder766Sql(judgedAt);
  return ctx.db.$queryRaw<CountRow[]>`
    WITH facts AS (
      SELECT ${key} AS key, 1 AS received, (channel = 'ONLINE')::int AS received_online,
             0 AS early, 0 AS on_time, 0 AS late, 0 AS open_within, 0 AS open_overdue
      FROM dossier WHERE received_at >= ${period.start} AND received_at < ${period.end}
      UNION ALL
      SELECT ${key}, 0, 0, (outcome = 'EARLY')::int, (outcome = 'ON_TIME')::int, (outcome = 'LATE')::int, 0, 0
      FROM dossier WHERE ended_at >= ${period.start} AND ended_at < ${period.end} AND received_at IS NOT NULL
      UNION ALL
      SELECT key, 0, 0, 0, 0, 0, (NOT overdue)::int, overdue::int FROM (
        SELECT ${key} AS key, ${overdue} AS overdue
        FROM dossier WHERE ended_at IS NULL AND received_at < ${judgedAt}
        UNION ALL
        SELECT ${key}, ${overdue}
        FROM dossier WHERE ended_at >= ${judgedAt} AND received_at < ${judgedAt}
      ) AS open_at_end
    )
    SELECT key, sum(received)::int AS received, sum(received_online)::int AS received_online,
           sum(early)::int AS early, sum(on_time)::int AS on_time, sum(late)::int AS late,
           sum(open_within)::int AS open_within, sum(open_overdue)::int AS open_overdue
    FROM facts GROUP BY key ORDER BY key`;
}

async function labelsOf(ctx: ProvinceContext, groupBy: StatisticsGroup, keys: string[]): Promise<Map<string, string>> {
  if (groupBy === 'CHANNEL') return new Map(keys.map((key) => [key, CHANNEL_LABEL[key] ?? key]));
  if (groupBy === 'AGENCY') {
    const agencies = await ctx.db.agency.findMany({ where: { id: { in: keys } }, select: { id: true, name: true } });
    return new Map(agencies.map((agency) => [agency.id, agency.name]));
  }
  if (groupBy === 'PROCEDURE') {
    const procedures = await ctx.db.procedure.findMany({ where: { id: { in: keys } }, select: { id: true, code: true, name: true } });
    return new Map(procedures.map((procedure) => [procedure.id, `${procedure.code} ${procedure.name}`]));
  }
  const fields = await ctx.db.procedure.findMany({ where: { fieldCode: { in: keys } }, select: { fieldCode: true, fieldName: true }, distinct: ['fieldCode'] });
  return new Map(fields.map((field) => [field.fieldCode, field.fieldName]));
}

// Figures kept per province, grouping and period. Those of a period that is over cannot change and
// are kept for good; those of a running period for `ctx.platform.config.STATISTICS_FRESH_SECONDS * 1000` (STATISTICS_FRESH_SECONDS),
// so that a dashboard many officials refresh costs one computation a minute, not one a refresh (a
// year to date reads the province's whole year of dossiers). Concurrent requests share one computation.
const kept = new Map<string, { expiresAt: number; figures: Promise<DossierStatistics> }>();
const PERIODS_KEPT = 5000;

export function dossierStatistics(ctx: ProvinceContext, input: PeriodInput, groupBy: StatisticsGroup, now = new Date()): Promise<DossierStatistics> {
  const province = ctx.province;
  const period = periodOf(input);
  if (period.start > now) throw invalidInput([{ field: 'period', message: 'Kỳ báo cáo chưa bắt đầu' }]);
  const key = `${province.id}|${groupBy}|${period.start.toISOString()}|${period.end.toISOString()}`;
  const closed = period.end <= now;
  const keepFor = closed ? Infinity : ctx.platform.config.STATISTICS_FRESH_SECONDS * 1000;
  const hit = keepFor > 0 ? kept.get(key) : undefined;
  if (hit && hit.expiresAt > now.getTime()) return hit.figures;
  const figures = computeStatistics(ctx, groupBy, period, closed ? period.end : now);
  if (keepFor > 0) {
    if (kept.size >= PERIODS_KEPT) kept.delete(kept.keys().next().value!);
    kept.set(key, { expiresAt: now.getTime() + keepFor, figures });
    figures.catch(() => kept.get(key)?.figures === figures && kept.delete(key));
  }
  return figures;
}

async function computeStatistics(ctx: ProvinceContext, groupBy: StatisticsGroup, period: Period, judgedAt: Date): Promise<DossierStatistics> {
  const counts = await countByGroup(ctx, groupBy, period, judgedAt);
  const labels = await labelsOf(ctx, groupBy, counts.map((row) => row.key));
  const rows = counts.map((row) => withRates(row.key, labels.get(row.key) ?? row.key, row));
  const sum = (field: keyof Omit<CountRow, 'key'>) => counts.reduce((total, row) => total + row[field], 0);
  const total = withRates('TOTAL', 'Tổng cộng', {
    received: sum('received'),
    received_online: sum('received_online'),
    early: sum('early'),
    on_time: sum('on_time'),
    late: sum('late'),
    open_within: sum('open_within'),
    open_overdue: sum('open_overdue'),
  });
  return { period, groupBy, judgedAt, rows, total };
}
