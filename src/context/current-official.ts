// The caller's own official record and agency, found once per context. A token's subject is the
// identity provider's, not always our row id: a UUID is taken as the official's id, `cccd:…` (or a
// bare 12-digit CCCD, as VNeID gives it) as their citizen ID number, an e-mail address as their
// public-service mailbox. A subject that matches no record leaves the caller without one: they keep
// their signed roles but are nobody's assignee.
import type { Context, ProvinceContext } from './context';
import type { Prisma } from '../generated/prisma/client';
import { isCccd } from '../kernel/formats';
import { isUuid } from '../kernel/ids';
import { acrossRequests, loaderOf, oncePerContext, settledOncePerContext } from '../kernel/per-context';

/** Pure: which official row a token subject names, or null when it cannot name one. */
export function officialWhereOfSubject(subject: string): Prisma.OfficialWhereInput | null {
  const value = subject.trim();
  if (isUuid(value)) return { id: value.toLowerCase() };
  const idNumber = value.replace(/^cccd:/i, '');
  if (isCccd(idNumber)) return { idNumber };
  if (/^[^\s@]+@[^\s@]+$/.test(value)) return { email: value.toLowerCase() };
  return null;
}

export interface CurrentOfficial {
  id: string;
  fullName: string;
  agencyId: string;
}

export interface CallerAgency {
  id: string;
  kind: string;
  code: string;
}

const OFFICIAL = {};
const AGENCIES_BY_CODE = {};
const CALLER_AGENCY = {};

/** An agency's code, id and kind change only by reorganisation: every request of a token reads them. */
const AGENCY_TTL_MS = 60_000;

/** Agencies of the context's province by electronic identifier code: batched per context, kept a minute per server. */
export function agencyByCode(ctx: ProvinceContext, code: string): Promise<CallerAgency | null> {
  const tenantId = ctx.province.id;
  return acrossRequests(ctx, AGENCIES_BY_CODE, `${tenantId}:${code}`, { ttlMs: AGENCY_TTL_MS }, () =>
    loaderOf(
      ctx,
      AGENCIES_BY_CODE,
      (codes: readonly string[]) => ctx.db.agency.findMany({ where: { tenantId, code: { in: [...codes] } }, select: { id: true, kind: true, code: true } }),
      (agency) => agency.code,
    ).load(code),
  );
}

/** The caller's working official record in the context's province, or null. */
export function currentOfficial(ctx: Context): Promise<CurrentOfficial | null> {
  const caller = ctx.caller;
  if (caller.kind !== 'official' || !ctx.province) return Promise.resolve(null);
  const where = officialWhereOfSubject(caller.subject);
  if (!where) return Promise.resolve(null);
  return oncePerContext(ctx, OFFICIAL, () =>
    ctx.db.official.findFirst({ where: { ...where, status: 'WORKING' }, select: { id: true, fullName: true, agencyId: true } }),
  );
}

/** The caller's agency, from the token's agency code: what they act for. */
export function callerAgency(ctx: Context): Promise<CallerAgency | null> {
  const caller = ctx.caller;
  const province = ctx.province;
  if (caller.kind !== 'official' || !caller.agencyCode || !province) return Promise.resolve(null);
  const code = caller.agencyCode;
  return oncePerContext(ctx, CALLER_AGENCY, () => agencyByCode(ctx as ProvinceContext, code));
}

/** The caller's agency if this context has found it already (callerAgency settled), else undefined. */
export function knownCallerAgency(ctx: Context): CallerAgency | null | undefined {
  return settledOncePerContext<CallerAgency | null>(ctx, CALLER_AGENCY)?.value;
}
