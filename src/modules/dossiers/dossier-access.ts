// Who may see a dossier and in which capacities (actors) a caller may move it. Officials act on the
// dossiers of their own agency; the one-stop-shop centre (a PUBLIC_SERVICE_UNIT) receives and returns
// for every agency; an assignee handles what is assigned; the applicant acts on their own dossier.
import type { Context } from '../../context/context';
import type { BackOfficeRole } from '../../generated/prisma/enums';
import { callerAgency, currentOfficial, knownCallerAgency } from '../../context/current-official';
import type { Actor } from './lifecycle';

export interface DossierParties {
  agencyId: string;
  assigneeId: string | null;
  applicantAccount: string | null;
}

const BACK_OFFICE_ACTORS: readonly Actor[] = ['RECEIVING_CLERK', 'HANDLER', 'LEADER'];

/** The capacities in which the caller may move this dossier (none: may not move it). */
export async function actorsFor(ctx: Context, dossier: DossierParties): Promise<Actor[]> {
  const caller = ctx.caller;
  if (caller.kind === 'citizen') return dossier.applicantAccount === caller.subject ? ['APPLICANT'] : [];
  if (caller.kind !== 'official') return [];
  const held = BACK_OFFICE_ACTORS.filter((actor) => caller.roles.includes(actor as BackOfficeRole));
  const [agency, self] = await Promise.all([callerAgency(ctx), currentOfficial(ctx)]);
  const actors = new Set<Actor>();
  if (agency?.id === dossier.agencyId) held.forEach((actor) => actors.add(actor));
  if (agency?.kind === 'PUBLIC_SERVICE_UNIT' && held.includes('RECEIVING_CLERK')) actors.add('RECEIVING_CLERK');
  if (self && dossier.assigneeId === self.id) held.filter((actor) => actor !== 'RECEIVING_CLERK').forEach((actor) => actors.add(actor));
  return [...actors];
}

/**
 * Province admins see every dossier of the province; others what they can act on. Synchronous when
 * it can be (the type check of every row of a page: a promise there made each row's fields wait).
 */
export function canSeeDossier(ctx: Context, dossier: DossierParties): boolean | Promise<boolean> {
  const caller = ctx.caller;
  if (caller.kind === 'platformAdmin' && ctx.province) return true;
  if (caller.kind === 'official' && caller.roles.includes('PROVINCE_ADMIN')) return true;
  // The common case, a queue of the caller's own agency, needs no look-up of the caller's record.
  const backOffice = caller.kind === 'official' && BACK_OFFICE_ACTORS.some((actor) => caller.roles.includes(actor as BackOfficeRole));
  if (backOffice && knownCallerAgency(ctx)?.id === dossier.agencyId) return true;
  return (async () => {
    if (backOffice && (await callerAgency(ctx))?.id === dossier.agencyId) return true;
    return (await actorsFor(ctx, dossier)).length > 0;
  })();
}
