// The national on-time rule (Quyết định 766/QĐ-TTg, timeliness group of the service index): how a
// finished dossier and an open one are judged, and the rate reported to ministries; and "overdue now",
// what officials and citizens see. Pure, except the query forms of the overdue rules (built, not run).
//
// lifecycle.ts imports judgeFinished from here and this file its status predicates from there: both
// use the other's functions only when called, never while loading, so the cycle is harmless.
import { Prisma } from '../../generated/prisma/client';
import { localDayNumberOf, VIETNAM_UTC_OFFSET_MINUTES } from '../../kernel/vietnam-time';
import { DOSSIER_STATUSES, isOpen, type DossierStatus } from './lifecycle';

export type FinishedOutcome = 'EARLY' | 'ON_TIME' | 'LATE';

export interface DossierTimes {
  /** Legal due date, pauses already added back, BEFORE any extension: an apology letter does not make a late dossier on time. */
  dueAt: Date | null;
  resultReadyAt: Date | null;
  returnedAt: Date | null;
  /** Also the refusal time for a dossier refused at intake. */
  stoppedAt: Date | null;
  supplementRequests: number;
}

/** The end the rule judges: result ready; else returned; else stopped/refused. Null while open. */
export function endOf(times: DossierTimes): Date | null {
  return times.resultReadyAt ?? times.returnedAt ?? times.stoppedAt ?? null;
}

// A second request for papers means the first check was incomplete: the methodology counts it late
// whatever the dates say.
function tooManySupplementRequests(times: Pick<DossierTimes, 'supplementRequests'>): boolean {
  return times.supplementRequests > 1;
}

/**
 * Early when finished on a local day before the due day; on time when not after the due instant;
 * late otherwise, and always late with more than one supplement request. No due date (refused at
 * intake) → ON_TIME.
 */
export function judgeFinished(times: DossierTimes, utcOffsetMinutes: number = VIETNAM_UTC_OFFSET_MINUTES): FinishedOutcome {
  const end = endOf(times);
  if (!end) throw new Error('judgeFinished: the dossier has no end yet; judge it with isOverdueUnder766');
  if (tooManySupplementRequests(times)) return 'LATE';
  if (!times.dueAt) return 'ON_TIME';
  if (end.getTime() > times.dueAt.getTime()) return 'LATE';
  return localDayNumberOf(end, utcOffsetMinutes) < localDayNumberOf(times.dueAt, utcOffsetMinutes) ? 'EARLY' : 'ON_TIME';
}

// ---------------------------------------------------------------- the two "overdue" rules
// Each rule is written once as a pure function and, beside it, once as the query that applies it in
// the database; test/overdue-rules.test.ts runs both over the same rows.

/** The columns the overdue rules read. */
export interface OverdueColumns {
  status: DossierStatus;
  /** Extensions included. */
  dueAt: Date | null;
  /** Set by the first extension; null when there was none. */
  dueAtBeforeExtension: Date | null;
  /** Set while the clock is paused (waiting on papers or fees). */
  pausedAt: Date | null;
  supplementRequests: number;
}

// A paused clock does not run (the methodology excludes paused time): it is judged at the instant it
// stopped, unless that is after `at`.
function clockReading(pausedAt: Date | null, at: Date): Date {
  return pausedAt && pausedAt < at ? pausedAt : at;
}

/**
 * Overdue under Quyết định 766/QĐ-TTg (timeliness group of the service index), for a dossier open at
 * `at` (the end of the reporting period, or now if earlier): more than one supplement request; or the
 * due date BEFORE any extension (an apology letter does not make a late dossier on time) has passed
 * by the clock's reading, which for a paused clock is the instant it stopped. Not received (no due
 * date): no clock is running. What the statistics count; in SQL: overdueUnder766Sql.
 */
export function isOverdueUnder766(dossier: Omit<OverdueColumns, 'status'>, at: Date): boolean {
  if (tooManySupplementRequests(dossier)) return true;
  const dueAt = dossier.dueAtBeforeExtension ?? dossier.dueAt;
  return dueAt !== null && dueAt < clockReading(dossier.pausedAt, at);
}

/**
 * isOverdueUnder766 as a SQL boolean over the `dossier` table's columns, for the statistics. The pause
 * is judged as the pure function judges it (LEAST with the paused instant); a dossier without a due
 * date is not overdue (false, not NULL, so that it still counts as within time).
 */
export function overdueUnder766Sql(at: Date): Prisma.Sql {
  const judgedAt = Prisma.sql`${at}::timestamptz`;
  return Prisma.sql`(supplement_requests > 1
    OR COALESCE(COALESCE(due_at_before_extension, due_at) < LEAST(${judgedAt}, COALESCE(paused_at, ${judgedAt})), false))`;
}

// A dossier whose result is ready has met its deadline or not already (judgeFinished): it waits on
// the applicant, not on the agency, and is no longer anyone's overdue work.
function awaitsTheAgency(status: DossierStatus): boolean {
  return isOpen(status) && status !== 'RESULT_READY';
}

/**
 * "Overdue now", what the work queue and public tracking show: the dossier still awaits the agency
 * and its due date as it stands (extension included: the agency answers to the new date) has passed
 * at `now`, or had passed when the clock stopped for a pause. Not the index's rule (isOverdueUnder766).
 * In SQL: overdueNowSql.
 */
export function isOverdueNow(dossier: Pick<OverdueColumns, 'status' | 'dueAt' | 'pausedAt'>, now: Date): boolean {
  return awaitsTheAgency(dossier.status) && dossier.dueAt !== null && dossier.dueAt < clockReading(dossier.pausedAt, now);
}

/**
 * isOverdueNow as a SQL boolean over the `dossier` row aliased `row`, for the work queue's filter;
 * `now` is a placeholder (`$3`) holding the instant. Before min(pausedAt, now) = before both.
 */
export function overdueNowSql(row: string, now: string): string {
  const awaiting = DOSSIER_STATUSES.filter(awaitsTheAgency).map((status) => `'${status}'`).join(', ');
  return `(${row}.status IN (${awaiting}) AND ${row}.due_at < ${now} AND (${row}.paused_at IS NULL OR ${row}.due_at < ${row}.paused_at))`;
}
