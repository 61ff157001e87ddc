// Bearer tokens: HS256 with a shared secret in development and tests, a JWKS URL in production.
// Pure apart from the key lookup; the claims are checked here, the province in province-lookup.ts.
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Config } from '../config';
import { AppError, ErrorCode } from '../errors';

export const CALLER_KINDS = ['citizen', 'official', 'ministry', 'platform_admin'] as const;
export const BACK_OFFICE_ROLES = ['receiving_clerk', 'handler', 'leader', 'document_clerk', 'province_admin'] as const;

/** The `amr` value of a sign-in through VNeID. */
export const VNEID_METHOD = 'vneid';

const claimsSchema = z.object({
  sub: z.string().min(1),
  roles: z.array(z.enum([...CALLER_KINDS, ...BACK_OFFICE_ROLES])).min(1),
  province: z.string().uuid().optional(),
  agency: z.string().optional(),
  // OIDC's authentication methods (RFC 8176 values, or the provider's own): "vneid" when the citizen
  // signed in through VNeID, the national electronic identity.
  amr: z.array(z.string()).optional(),
});
export type TokenClaims = z.infer<typeof claimsSchema>;

export type TokenVerifier = (token: string) => Promise<TokenClaims>;

/** Verified tokens kept, and for how long at most: a token is sent again with every request of a session. */
export const VERIFIED_TOKENS_KEPT = 10_000;
export const VERIFIED_TOKEN_MAX_MS = 5 * 60_000;

/**
 * Verifies a token's signature, issuer, audience and dates, then its claims. A verified token is kept
 * (at most VERIFIED_TOKENS_KEPT, least recently used go first) until it expires or for
 * VERIFIED_TOKEN_MAX_MS, whichever is sooner, so that a session's next requests skip the signature
 * check; a token without an expiry, and a failed one, is checked every time.
 */
export function createTokenVerifier(config: Config): TokenVerifier {
  const key = config.JWT_JWKS_URL
    ? createRemoteJWKSet(new URL(config.JWT_JWKS_URL))
    : new TextEncoder().encode(config.jwtSecret);
  const options = { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE };
  const verified = new LRUCache<string, TokenClaims>({ max: VERIFIED_TOKENS_KEPT });
  return async (token) => {
    const kept = verified.get(token);
    if (kept) return kept;
    let payload: JWTPayload;
    try {
      // jwtVerify takes a secret or a key set at run time; its typings split them into two overloads.
      ({ payload } = await jwtVerify(token, key as Uint8Array, options));
    } catch {
      throw new AppError(ErrorCode.UNAUTHENTICATED, 'Phiên đăng nhập không hợp lệ hoặc đã hết hạn.');
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Mã xác thực thiếu thông tin bắt buộc.');
    const untilExpiry = payload.exp === undefined ? 0 : payload.exp * 1000 - Date.now();
    if (untilExpiry > 0) verified.set(token, claims.data, { ttl: Math.min(untilExpiry, VERIFIED_TOKEN_MAX_MS) });
    return claims.data;
  };
}

export function bearerToken(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Tiêu đề Authorization phải có dạng "Bearer <token>".');
  return match[1];
}
