// The national on-time rule (Quyết định 766/QĐ-TTg, timeliness group of the service index): how a
// finished dossier and an open one are judged, and the rate reported to ministries. Pure.
import { localDayNumberOf, VIETNAM_UTC_OFFSET_MINUTES } from '../../kernel/vietnam-time';

export type FinishedOutcome = 'EARLY' | 'ON_TIME' | 'LATE';
export type OpenStanding = 'WITHIN_TIME' | 'OVERDUE';

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
  if (!end) throw new Error('judgeFinished: the dossier has no end yet; judge it with judgeOpen');
  if (tooManySupplementRequests(times)) return 'LATE';
  if (!times.dueAt) return 'ON_TIME';
  if (end.getTime() > times.dueAt.getTime()) return 'LATE';
  return localDayNumberOf(end, utcOffsetMinutes) < localDayNumberOf(times.dueAt, utcOffsetMinutes) ? 'EARLY' : 'ON_TIME';
}

/** An open dossier judged at `at` (the end of the reporting period, or now if earlier). */
export function judgeOpen(times: Pick<DossierTimes, 'dueAt' | 'supplementRequests'>, at: Date): OpenStanding {
  if (tooManySupplementRequests(times)) return 'OVERDUE';
  // not received yet: no clock is running
  if (!times.dueAt) return 'WITHIN_TIME';
  return times.dueAt.getTime() < at.getTime() ? 'OVERDUE' : 'WITHIN_TIME';
}

/**
 * "Overdue now", what the work queue shows an official: open, not yet ready, and the due date as it
 * stands (extension included) has passed, or had passed when the clock stopped for a pause. Not the
 * index's rule: statistics judge by judgeOpen, against the due date before any extension.
 */
export function isOverdueNow(row: { status: string; dueAt: Date | null; pausedAt: Date | null }, now: Date): boolean {
  const open = row.status !== 'REFUSED' && row.status !== 'STOPPED' && row.status !== 'RETURNED' && row.status !== 'RESULT_READY';
  return open && row.dueAt !== null && row.dueAt < (row.pausedAt ?? now);
}

/** (early + on time) / finished; null when nothing finished, so "no data" never reads as 0 %. */
export function onTimeRate(counts: { early: number; onTime: number; late: number }): number | null {
  const finished = counts.early + counts.onTime + counts.late;
  if (finished === 0) return null;
  return (counts.early + counts.onTime) / finished;
}
