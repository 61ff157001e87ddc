// What a transfer to another province carries, and the records it becomes there. Pure: the sending
// province writes the request from its own rows, the receiving one builds its rows from the request
// alone, so neither reads the other's tables.
import { dateOnly, isoDateOf } from '../../kernel/dates';
import { foldForSearch } from '../../kernel/text';

/** The person's record as sent (JSON in `official_transfer.person`). */
export interface TransferredPerson {
  personId: string;
  birthDate: string | null;
  gender: 'MALE' | 'FEMALE' | null;
  idNumber: string | null;
  rankCode: string | null;
  rankName: string | null;
  payStep: number | null;
  payCoefficient: string | null;
  phone: string | null;
}

/** One posting as sent (JSON in `official_transfer.career`); dates 'YYYY-MM-DD'. */
export interface TransferredPosting {
  agencyName: string;
  provinceName: string;
  position: string;
  startedOn: string;
  endedOn: string;
  decisionNumber: string | null;
  note: string | null;
}

interface SourceOfficial {
  personId: string;
  birthDate: Date | null;
  gender: string | null;
  idNumber: string | null;
  rankCode: string | null;
  rankName: string | null;
  payStep: number | null;
  payCoefficient: { toString(): string } | null;
  phone: string | null;
}

interface SourcePosting {
  agencyName: string;
  provinceName: string;
  position: string;
  startedOn: Date;
  endedOn: Date | null;
  decisionNumber: string | null;
  note: string | null;
}

export function personOf(official: SourceOfficial): TransferredPerson {
  return {
    personId: official.personId,
    birthDate: official.birthDate ? isoDateOf(official.birthDate) : null,
    gender: official.gender as TransferredPerson['gender'],
    idNumber: official.idNumber,
    rankCode: official.rankCode,
    rankName: official.rankName,
    payStep: official.payStep,
    payCoefficient: official.payCoefficient === null ? null : official.payCoefficient.toString(),
    phone: official.phone,
  };
}

/** The career as it will read after the move: oldest first, the open posting ending on `effectiveOn`. */
export function careerOf(history: readonly SourcePosting[], effectiveOn: Date): TransferredPosting[] {
  return [...history]
    .sort((a, b) => a.startedOn.getTime() - b.startedOn.getTime())
    .map((posting) => ({
      agencyName: posting.agencyName,
      provinceName: posting.provinceName,
      position: posting.position,
      startedOn: isoDateOf(posting.startedOn),
      endedOn: isoDateOf(posting.endedOn ?? effectiveOn),
      decisionNumber: posting.decisionNumber,
      note: posting.note,
    }));
}

interface AcceptedTransfer {
  fullName: string;
  position: string;
  effectiveOn: Date;
  decisionNumber: string | null;
  person: TransferredPerson;
  career: TransferredPosting[];
}

/** The receiving province's new record and its career: the postings carried over, then the new one. */
export function arrivalOf(
  transfer: AcceptedTransfer,
  place: { tenantId: string; provinceName: string; agencyId: string; agencyName: string; email: string },
) {
  const { person } = transfer;
  const official = {
    tenantId: place.tenantId,
    personId: person.personId,
    fullName: transfer.fullName,
    searchName: foldForSearch(transfer.fullName),
    birthDate: person.birthDate ? dateOnly(person.birthDate) : null,
    gender: person.gender,
    idNumber: person.idNumber,
    rankCode: person.rankCode,
    rankName: person.rankName,
    payStep: person.payStep,
    payCoefficient: person.payCoefficient,
    phone: person.phone,
    email: place.email,
    agencyId: place.agencyId,
    position: transfer.position,
    status: 'WORKING' as const,
  };
  const postings = (officialId: string) => [
    ...transfer.career.map((posting) => ({
      tenantId: place.tenantId,
      officialId,
      agencyId: null,
      agencyName: posting.agencyName,
      provinceName: posting.provinceName,
      position: posting.position,
      startedOn: dateOnly(posting.startedOn),
      endedOn: dateOnly(posting.endedOn),
      decisionNumber: posting.decisionNumber,
      note: posting.note,
    })),
    {
      tenantId: place.tenantId,
      officialId,
      agencyId: place.agencyId,
      agencyName: place.agencyName,
      provinceName: place.provinceName,
      position: transfer.position,
      startedOn: transfer.effectiveOn,
      endedOn: null,
      decisionNumber: transfer.decisionNumber,
      note: null,
    },
  ];
  return { official, postings };
}

export type TransferSide = 'OUTGOING' | 'INCOMING';

/** Which party a province is to a request (a third province never reads one: row-level security). */
export const sideOf = (transfer: { tenantId: string; targetTenantId: string }, provinceId: string): TransferSide =>
  transfer.tenantId === provinceId ? 'OUTGOING' : 'INCOMING';

/** The node id names both keys of the row, so that the receiving province can address it. */
export const transferNodeId = (transfer: { tenantId: string; id: string }) => `${transfer.tenantId}:${transfer.id}`;

export function transferKeyOf(nodeId: string): { tenantId: string; id: string } | null {
  const match = /^([0-9a-f-]{36}):([0-9a-f-]{36})$/i.exec(nodeId);
  return match ? { tenantId: match[1], id: match[2] } : null;
}
