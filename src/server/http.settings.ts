// The HTTP edge's environment variables, checked at start with the core's (src/config.ts). The
// switches default by NODE_ENV (see httpPolicy in http-defaults.ts): unset means "on in
// development, off in production".
import { z } from 'zod';

const onOff = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .optional();

/** `https://host` or `http://host:port`: what a browser sends as Origin (no path, no trailing slash). */
export function isOrigin(candidate: string): boolean {
  try {
    const url = new URL(candidate);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === candidate.toLowerCase();
  } catch {
    return false;
  }
}

export const HTTP_SETTINGS = {
  /** `__schema` and `__type` queries; unset: allowed except in production. */
  GRAPHQL_INTROSPECTION: onOff,
  /** graphql-js's "Did you mean …?" in validation messages; unset: shown except in production. */
  GRAPHQL_FIELD_SUGGESTIONS: onOff,
  /** The query page at GET /graphql; unset: served except in production. */
  GRAPHQL_QUERY_PAGE: onOff,
  /** Browser origins allowed besides every province's host names, comma-separated. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const origins = value.split(',').map((origin) => origin.trim()).filter(Boolean);
      const bad = origins.find((origin) => !isOrigin(origin));
      if (bad) {
        ctx.addIssue({ code: 'custom', message: `"${bad}" is not an origin (scheme://host[:port], nothing after it)` });
        return z.NEVER;
      }
      return origins.map((origin) => origin.toLowerCase());
    }),
  /** Bearer token for GET /metrics; unset: /metrics is open in development and off in production. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
};
