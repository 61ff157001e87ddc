// Dossier statistics for a province under the national on-time rule (Quyết định 766/QĐ-TTg):
// received, finished early / on time / late, open within time / overdue at the end of the period,
// online share and on-time rate, grouped by agency, procedure, field or channel.
//
// Cost: what was received and finished in the period is read from the monthly roll-ups (a few
// thousand rows whatever the number of dossiers); what was open at its end from the dossiers open
// then, by index. That stock is all that still reads dossiers: for a running period it is the open
// dossiers of today; for a period that is over it cannot change, so it is computed once per process.
import { Prisma } from '../../generated/prisma/client';
import type { ProvinceContext } from '../../context/context';
import { addFigures, indicatorValue, INDICATORS, noFigures, type Figures, type IndicatorValue } from '../indicators/figures';
import { figureLabels } from '../indicators/figure-labels';
import { monthlyFigures } from '../indicators/monthly-figures';
import { periodOf, type Period, type PeriodInput } from '../indicators/period';
import { overdueUnder766Sql } from './on-time';

export type StatisticsGroup = 'AGENCY' | 'PROCEDURE' | 'FIELD' | 'CHANNEL';

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
  /** Every indicator of Quyết định 766 over the row's figures (nothing withheld: the province's own). */
  indicators: IndicatorValue[];
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

interface CountRow {
  key: string;
  figures: Figures;
  openWithin: number;
  openOverdue: number;
}

/** Pure: a row of the answer from its figures and open stock, its rates by the indicators' definitions. */
export function withRates(key: string, label: string, row: Omit<CountRow, 'key'>): StatisticsRow {
  const { figures } = row;
  return {
    key,
    label,
    received: figures.received,
    receivedOnline: figures.receivedOnline,
    finishedEarly: figures.finishedEarly,
    finishedOnTime: figures.finishedOnTime,
    finishedLate: figures.finishedLate,
    openWithinTime: row.openWithin,
    openOverdue: row.openOverdue,
    onlineShare: indicatorValue('ONLINE_SHARE', figures).value,
    onTimeRate: indicatorValue('ON_TIME_RATE', figures).value,
    indicators: INDICATORS.map((indicator) => indicatorValue(indicator, figures)),
  };
}

// The open stock at the end of the period, by isOverdueUnder766's SQL form (on-time.ts), the paused
// clock included: not ended by then (still open, or ended later). A dossier that ended later has no
// pausedAt left (leaving a pause clears it) and is judged at judgedAt.
async function openAtEnd(ctx: ProvinceContext, groupBy: StatisticsGroup, judgedAt: Date): Promise<Map<string, { within: number; overdue: number }>> {
  const key = GROUP_KEY[groupBy];
  const overdue = overdueUnder766Sql(judgedAt);
  const rows = await ctx.db.$queryRaw<{ key: string; within: number; overdue: number }[]>`
    SELECT key, sum((NOT overdue)::int)::int AS within, sum(overdue::int)::int AS overdue FROM (
      SELECT ${key} AS key, ${overdue} AS overdue
      FROM dossier WHERE tenant_id = ${ctx.province.id}::uuid AND ended_at IS NULL AND received_at < ${judgedAt}
      UNION ALL
      SELECT ${key}, ${overdue}
      FROM dossier WHERE tenant_id = ${ctx.province.id}::uuid AND ended_at >= ${judgedAt} AND received_at < ${judgedAt}
    ) AS open_at_end GROUP BY key`;
  return new Map(rows.map((row) => [row.key, row]));
}

async function countByGroup(ctx: ProvinceContext, groupBy: StatisticsGroup, period: Period, judgedAt: Date): Promise<CountRow[]> {
  const flows = await monthlyFigures(ctx.sql, period.months, groupBy, { tenantIds: [ctx.province.id] });
  const open = await openAtEnd(ctx, groupBy, judgedAt);
  const keys = [...new Set([...flows.map((row) => row.key), ...open.keys()])].sort();
  const byKey = new Map(flows.map((row) => [row.key, row.figures]));
  return keys.map((key) => ({ key, figures: byKey.get(key) ?? noFigures(), openWithin: open.get(key)?.within ?? 0, openOverdue: open.get(key)?.overdue ?? 0 }));
}

// Figures of a period that is over cannot change: kept per province, grouping and period for the
// process's life (its open stock is the one part that reads dossiers). A running period is computed
// on every request: its received and finished figures are the roll-ups, its stock today's open
// dossiers. Concurrent requests for a closed period share one computation.
const kept = new Map<string, Promise<DossierStatistics>>();
const PERIODS_KEPT = 5000;

export function dossierStatistics(ctx: ProvinceContext, input: PeriodInput, groupBy: StatisticsGroup, now = new Date()): Promise<DossierStatistics> {
  const period = periodOf(input, now);
  if (period.end > now) return computeStatistics(ctx, groupBy, period, now);
  const key = `${ctx.province.id}|${groupBy}|${period.months.from}|${period.months.to}`;
  const hit = kept.get(key);
  if (hit) return hit;
  const figures = computeStatistics(ctx, groupBy, period, period.end);
  if (kept.size >= PERIODS_KEPT) kept.delete(kept.keys().next().value!);
  kept.set(key, figures);
  figures.catch(() => kept.get(key) === figures && kept.delete(key));
  return figures;
}

async function computeStatistics(ctx: ProvinceContext, groupBy: StatisticsGroup, period: Period, judgedAt: Date): Promise<DossierStatistics> {
  const counts = await countByGroup(ctx, groupBy, period, judgedAt);
  const labels = await figureLabels(ctx, groupBy, counts.map((row) => row.key));
  const rows = counts.map((row) => withRates(row.key, labels.get(row.key) ?? row.key, row));
  const total = withRates('TOTAL', 'Tổng cộng', {
    figures: counts.reduce((sum, row) => addFigures(sum, row.figures), noFigures()),
    openWithin: counts.reduce((sum, row) => sum + row.openWithin, 0),
    openOverdue: counts.reduce((sum, row) => sum + row.openOverdue, 0),
  });
  return { period, groupBy, judgedAt, rows, total };
}
