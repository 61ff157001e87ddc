// The officials' work queue: which dossiers a caller's queue holds (the filter, in SQL), a page of
// them and their count. The hot read of the back office: one statement for the page (with the
// procedure and whatever else the query selects, joined) and one for the count, both prepared.
import type { ProvinceContext } from '../../context/context';
import { countRows, readPage, type PageSpec, type PlannedQuery } from '../../db/page-sql';
import { AppError, ErrorCode, invalidInput } from '../../errors';
import { callerAgency, currentOfficial } from '../../context/current-official';
import { calendarAround } from '../calendar/calendar.service';
import { addWorkingDays } from '../calendar/working-calendar';
import { isOpen, type DossierStatus } from './lifecycle';
import { overdueNowSql } from './on-time';

export interface QueueFilter {
  scope?: 'AGENCY' | 'ASSIGNED_TO_ME' | null;
  agencyId?: { id: string } | null;
  statuses?: DossierStatus[] | null;
  overdue?: boolean | null;
  dueWithinWorkingDays?: number | null;
  procedureCode?: string | null;
  channel?: 'IN_PERSON' | 'ONLINE' | 'POSTAL' | null;
}

/** Soonest due first; dossiers without a due date (not yet received) last. */
const QUEUE_ORDER: PageSpec['orderBy'] = [
  { field: 'dueAt', direction: 'asc', nulls: 'last' },
  { field: 'id', direction: 'asc' },
];

/** The queue's rows as SQL over `t0` (the dossier), `tenant_id` first, with its values. */
export async function queueFilter(ctx: ProvinceContext, filter: QueueFilter | null | undefined): Promise<Omit<PageSpec, 'orderBy'>> {
  const caller = ctx.caller;
  const values: unknown[] = [ctx.province.id];
  const terms = ['t0.tenant_id = $1'];
  const value = (given: unknown, cast = '') => (values.push(given), `$${values.length}${cast}`);
  const isAdmin = (caller.kind === 'official' && caller.roles.includes('PROVINCE_ADMIN')) || caller.kind === 'platformAdmin';
  if (filter?.scope === 'ASSIGNED_TO_ME') {
    if (caller.kind !== 'official') throw new AppError(ErrorCode.FORBIDDEN, 'Chỉ cán bộ mới có hồ sơ được giao.');
    // A caller without an official record here has nothing assigned: an empty queue, not an error.
    const self = await currentOfficial(ctx);
    terms.push(self ? `t0.assignee_id = ${value(self.id, '::uuid')}` : 'false');
  } else {
    const own = await callerAgency(ctx);
    const agencyId = filter?.agencyId?.id ?? own?.id;
    if (!agencyId) throw invalidInput([{ field: 'agencyId', message: 'Chọn cơ quan (tài khoản không gắn với cơ quan nào)' }]);
    if (!isAdmin && agencyId !== own?.id && own?.kind !== 'PUBLIC_SERVICE_UNIT') {
      throw new AppError(ErrorCode.FORBIDDEN, 'Chỉ xem được hồ sơ của cơ quan mình.');
    }
    terms.push(`t0.agency_id = ${value(agencyId, '::uuid')}`);
  }
  const statuses = filter?.statuses?.length ? filter.statuses : null;
  // `open` leads the queue's indexes: say it whenever the statuses settle it.
  if (!statuses || statuses.every(isOpen)) terms.push('t0.open');
  else if (statuses.every((status) => !isOpen(status))) terms.push('NOT t0.open');
  if (statuses) terms.push(`t0.status = ANY(${value(statuses, '::"DossierStatus"[]')})`);
  // As the overdue field says (isOverdueNow), with the statuses asked for, if any.
  if (filter?.overdue) terms.push(overdueNowSql('t0', value(ctx.now, '::timestamptz')));
  if (filter?.dueWithinWorkingDays !== undefined && filter.dueWithinWorkingDays !== null) {
    const days = filter.dueWithinWorkingDays;
    if (!Number.isInteger(days) || days < 0 || days > 60) throw invalidInput([{ field: 'dueWithinWorkingDays', message: 'Số ngày làm việc phải từ 0 đến 60' }]);
    const until = addWorkingDays(await calendarAround(ctx.db, ctx.province.id, ctx.now), ctx.now, days);
    terms.push(`t0.due_at <= ${value(until, '::timestamptz')}`);
  }
  if (filter?.procedureCode) terms.push(`t0.procedure_id IN (SELECT p.id FROM procedure p WHERE p.code = ${value(filter.procedureCode.trim())})`);
  if (filter?.channel) terms.push(`t0.channel = ${value(filter.channel, '::"DossierChannel"')}`);
  return { model: 'Dossier', name: 'queue', where: terms.join(' AND '), values };
}

/** The page Pothos planned (see readPage), carrying the count when it is asked for too. */
export async function queuePage(ctx: ProvinceContext, filter: QueueFilter | null | undefined, query: PlannedQuery, withCount = false) {
  const tenantId = ctx.province.id;
  return readPage(ctx.sql, query, { ...(await queueFilter(ctx, filter)), orderBy: QUEUE_ORDER, withCount }, (ids, selection) =>
    ctx.db.dossier.findMany({ ...selection, where: { tenantId, id: { in: ids } } } as { where: { tenantId: string } }),
  );
}

export async function queueCount(ctx: ProvinceContext, filter: QueueFilter | null | undefined): Promise<number> {
  return countRows(ctx.sql, await queueFilter(ctx, filter));
}
