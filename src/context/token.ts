// Bearer tokens: HS256 with a shared secret in development and tests, a JWKS URL in production.
// Pure apart from the key lookup; the claims are checked here, the province in province-lookup.ts.
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { Config } from '../config';
import { AppError, ErrorCode } from '../errors';

export const CALLER_KINDS = ['citizen', 'official', 'ministry', 'platform_admin'] as const;
export const BACK_OFFICE_ROLES = ['receiving_clerk', 'handler', 'leader', 'document_clerk', 'province_admin'] as const;

const claimsSchema = z.object({
  sub: z.string().min(1),
  roles: z.array(z.enum([...CALLER_KINDS, ...BACK_OFFICE_ROLES])).min(1),
  province: z.string().uuid().optional(),
  agency: z.string().optional(),
});
export type TokenClaims = z.infer<typeof claimsSchema>;

export type TokenVerifier = (token: string) => Promise<TokenClaims>;

export function createTokenVerifier(config: Config): TokenVerifier {
  const key = config.JWT_JWKS_URL
    ? createRemoteJWKSet(new URL(config.JWT_JWKS_URL))
    : new TextEncoder().encode(config.jwtSecret);
  const options = { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE };
  return async (token) => {
    let payload: JWTPayload;
    try {
      // jwtVerify takes a secret or a key set at run time; its typings split them into two overloads.
      ({ payload } = await jwtVerify(token, key as Uint8Array, options));
    } catch {
      throw new AppError(ErrorCode.UNAUTHENTICATED, 'Phiên đăng nhập không hợp lệ hoặc đã hết hạn.');
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Mã xác thực thiếu thông tin bắt buộc.');
    return claims.data;
  };
}

export function bearerToken(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Tiêu đề Authorization phải có dạng "Bearer <token>".');
  return match[1];
}
