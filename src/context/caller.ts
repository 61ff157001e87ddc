// Who is calling. The province is part of the caller wherever one applies, never looked up later.
import type { BackOfficeRole } from '../generated/prisma/enums';

export interface ProvinceRef {
  id: string;
  slug: string;
  name: string;
  gsoCode: string;
  status: 'ACTIVE' | 'MERGED';
}

export type Caller =
  | { kind: 'anonymous'; province: ProvinceRef | null }
  // verifiedByVneid: signed in through VNeID (the token's amr), so a dossier filed now has its applicant's identity verified
  | { kind: 'citizen'; subject: string; province: ProvinceRef; verifiedByVneid: boolean }
  | { kind: 'official'; subject: string; province: ProvinceRef; agencyCode: string | null; roles: BackOfficeRole[] }
  | { kind: 'ministry'; subject: string; province: null }
  | { kind: 'platformAdmin'; subject: string; province: ProvinceRef | null }
  | { kind: 'system'; reason: string; province: ProvinceRef | null };

export type CallerKind = Caller['kind'];

export const hasRole = (caller: Caller, role: BackOfficeRole) => caller.kind === 'official' && caller.roles.includes(role);
