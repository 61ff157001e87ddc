// Development tokens: what `npm run token`, the tests and the benchmarks sign with the HS256 secret.
// The claims are the ones token.ts verifies; production tokens come from the identity provider.
import { SignJWT } from 'jose';
import type { Config } from '../config';
import { isUuid, stableUuidIn } from '../kernel/ids';
import { BACK_OFFICE_ROLES, CALLER_KINDS } from './token';

type CallerKindRole = (typeof CALLER_KINDS)[number];
type BackOfficeRoleName = (typeof BACK_OFFICE_ROLES)[number];
export type DevTokenRole = CallerKindRole | BackOfficeRoleName;

export class DevTokenError extends Error {}

export interface DevTokenArgs {
  /** Tenant uuid (resolve a code or slug first with `resolveProvince`). */
  province?: string;
  /** A caller kind and any back-office roles, in any case; back-office roles alone imply `official`. */
  roles: string[];
  /** Agency identifier code, for officials. */
  agency?: string;
  sub?: string;
  /** How the caller signed in (OIDC `amr`), e.g. ["vneid"]: a citizen signed in through VNeID. */
  amr?: string[];
}

export interface DevTokenClaims {
  sub: string;
  roles: DevTokenRole[];
  province?: string;
  agency?: string;
  amr?: string[];
}

/** The production guard, apart so that it can be tested. */
export function refuseInProduction(nodeEnv: string | undefined): void {
  if (nodeEnv === 'production') {
    throw new DevTokenError(
      'Refusing to mint a development token with NODE_ENV=production: production tokens come from the identity provider.',
    );
  }
}

// Name-based, so that the same arguments always give the same subject.
const DEV_SUBJECT_NAMESPACE = Buffer.from('6f1c2d9e4b7a4c1e9d3f5a8b7c6e5d4f', 'hex');

const isCallerKind = (role: string): role is CallerKindRole => (CALLER_KINDS as readonly string[]).includes(role);
const isBackOfficeRole = (role: string): role is BackOfficeRoleName => (BACK_OFFICE_ROLES as readonly string[]).includes(role);

export function buildDevTokenClaims(args: DevTokenArgs): DevTokenClaims {
  const roles = [...new Set(args.roles.map((role) => role.trim().toLowerCase()))];
  const unknown = roles.filter((role) => !isCallerKind(role) && !isBackOfficeRole(role));
  if (unknown.length) {
    throw new DevTokenError(
      `Unknown role ${unknown.map((role) => `"${role}"`).join(', ')}: expected one of ${[...CALLER_KINDS, ...BACK_OFFICE_ROLES].join(', ')}`,
    );
  }
  const backOffice = roles.filter(isBackOfficeRole);
  const kinds = roles.filter(isCallerKind);
  // The server takes a token without a caller kind for a citizen's, so back-office roles need `official`.
  if (kinds.length === 0 && backOffice.length) kinds.push('official');
  if (kinds.length === 0) throw new DevTokenError(`A token needs a role: one of ${CALLER_KINDS.join(', ')}`);
  if (kinds.length > 1) throw new DevTokenError(`A token has one caller kind, not ${kinds.join(' and ')}`);
  const [kind] = kinds;
  if (backOffice.length && kind !== 'official') {
    throw new DevTokenError(`Back-office roles (${backOffice.join(', ')}) belong to officials, not to ${kind}`);
  }

  const province = args.province?.trim().toLowerCase() || undefined;
  if (province !== undefined && !isUuid(province)) {
    throw new DevTokenError(`Province must be a tenant uuid, not "${args.province}"`);
  }
  if (!province && (kind === 'citizen' || kind === 'official')) {
    throw new DevTokenError(`A ${kind} token needs a province`);
  }
  const agency = args.agency?.trim() || undefined;
  if (agency && kind !== 'official') throw new DevTokenError(`An agency applies to officials, not to ${kind}`);
  if (args.sub !== undefined && args.sub.trim() === '') throw new DevTokenError('The subject (sub) must not be blank');
  const amr = args.amr === undefined ? undefined : [...new Set(args.amr.map((method) => method.trim().toLowerCase()))];
  if (amr?.some((method) => method === '')) throw new DevTokenError('An authentication method (amr) must not be blank');

  const orderedRoles: DevTokenRole[] = [kind, ...BACK_OFFICE_ROLES.filter((role) => backOffice.includes(role))];
  const sub = args.sub?.trim() ?? stableUuidIn(DEV_SUBJECT_NAMESPACE, JSON.stringify([province ?? null, orderedRoles, agency ?? null]));
  return {
    sub,
    roles: orderedRoles,
    ...(province ? { province } : {}),
    ...(agency ? { agency } : {}),
    ...(amr?.length ? { amr } : {}),
  };
}

export type DevTokenSigningConfig = Pick<Config, 'NODE_ENV' | 'jwtSecret' | 'JWT_ISSUER' | 'JWT_AUDIENCE'>;

/** Signs with HS256; `ttl` in jose's form ("8h", "30m", "2 days"). */
export async function signDevToken(claims: DevTokenClaims, config: DevTokenSigningConfig, ttl = '8h'): Promise<string> {
  refuseInProduction(config.NODE_ENV);
  if (!config.jwtSecret) {
    throw new DevTokenError('No JWT_SECRET: development tokens are signed with HS256 and the server is set up for JWKS only');
  }
  const { sub, ...payload } = claims;
  try {
    return await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(config.JWT_ISSUER)
      .setAudience(config.JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(ttl)
      .sign(new TextEncoder().encode(config.jwtSecret));
  } catch (error) {
    if (error instanceof TypeError) throw new DevTokenError(`Invalid time to live "${ttl}" (e.g. 8h, 30m, 7d)`);
    throw error;
  }
}

/** What a province manifest must offer to be chosen on the command line. */
export interface SelectableProvince {
  id: string;
  slug: string;
  gsoCode: string;
  status: 'active' | 'merged';
}

/**
 * A tenant uuid, slug or GSO code → the province's tenant uuid. A GSO code names the active province
 * holding it: codes of merged provinces were taken over by their successors.
 */
export function resolveProvince(provinces: SelectableProvince[], selector: string): string {
  const key = selector.trim().toLowerCase();
  const match =
    provinces.find((province) => province.id.toLowerCase() === key) ??
    provinces.find((province) => province.slug.toLowerCase() === key) ??
    provinces.find((province) => province.gsoCode === key && province.status === 'active');
  if (match) return match.id;
  const merged = provinces.filter((province) => province.gsoCode === key);
  if (merged.length) {
    throw new DevTokenError(
      `No active province has code ${key} (merged: ${merged.map((province) => province.slug).join(', ')}); name a merged province by its slug or uuid`,
    );
  }
  const known = provinces.map((province) => `${province.gsoCode} ${province.slug}`).join(', ');
  throw new DevTokenError(`Unknown province "${selector}"${known ? ` (known: ${known})` : ' (no tenant manifests found)'}`);
}
