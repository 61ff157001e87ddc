// Who is calling: the bearer token (or, for anonymous calls, X-Province / the host name) becomes a
// Caller. HTTP headers and graphql-ws connection params alike arrive as RequestCredentials.
import type { BackOfficeRole } from '../generated/prisma/enums';
import { AppError, ErrorCode } from '../errors';
import type { Caller, ProvinceRef } from './caller';
import { bearerToken, VNEID_METHOD, type TokenClaims, type TokenVerifier } from './token';
import type { ProvinceDirectory } from './province-directory';

export interface RequestCredentials {
  authorization?: string;
  province?: string;
  host?: string;
  requestId?: string;
  clientAddress?: string;
}

export interface IdentifyDependencies {
  provinces: ProvinceDirectory;
  verifyToken: TokenVerifier;
}

export async function identifyCaller(deps: IdentifyDependencies, credentials: RequestCredentials): Promise<Caller> {
  const token = bearerToken(credentials.authorization);
  const named = credentials.province?.trim() ? await deps.provinces.find(credentials.province.trim()) : undefined;
  if (named === null) {
    throw new AppError(ErrorCode.PROVINCE_NOT_FOUND, `Không tìm thấy tỉnh/thành phố "${credentials.province}".`);
  }
  if (!token) {
    const byHost = named ?? (credentials.host ? await deps.provinces.findByHost(credentials.host) : null);
    return { kind: 'anonymous', province: byHost ?? null };
  }
  return callerFromClaims(await deps.verifyToken(token), named ?? null, deps.provinces);
}

async function callerFromClaims(claims: TokenClaims, named: ProvinceRef | null, provinces: ProvinceDirectory): Promise<Caller> {
  const claimed = claims.province ? await provinces.findById(claims.province) : null;
  if (claims.province && !claimed) {
    throw new AppError(ErrorCode.PROVINCE_NOT_FOUND, 'Tỉnh/thành phố ghi trong mã xác thực không tồn tại.');
  }
  if (claimed && named && named.id !== claimed.id) {
    throw new AppError(ErrorCode.FORBIDDEN, `Tài khoản thuộc ${claimed.name}, không được thao tác tại ${named.name}.`);
  }
  const roles = claims.roles;
  if (roles.includes('platform_admin')) return { kind: 'platformAdmin', subject: claims.sub, province: claimed ?? named };
  if (roles.includes('ministry')) return { kind: 'ministry', subject: claims.sub, province: null };
  if (!claimed) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Mã xác thực không ghi tỉnh/thành phố của tài khoản.');
  if (roles.includes('official')) {
    const backOffice = roles.filter((role) => role !== 'official' && role !== 'citizen').map((role) => role.toUpperCase());
    return {
      kind: 'official',
      subject: claims.sub,
      province: claimed,
      agencyCode: claims.agency ?? null,
      roles: backOffice as BackOfficeRole[],
    };
  }
  return { kind: 'citizen', subject: claims.sub, province: claimed, verifiedByVneid: claims.amr?.includes(VNEID_METHOD) ?? false };
}
