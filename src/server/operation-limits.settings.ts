// Limits an operation must meet before it runs (src/server/operation-limits.ts), checked at start
// with the core's settings (src/config.ts). Each has a stricter value for anonymous callers.
import { z } from 'zod';

const count = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

export const OPERATION_LIMIT_SETTINGS = {
  /** Largest HTTP body, and largest WebSocket message, in bytes. */
  MAX_REQUEST_BYTES: z.coerce.number().int().min(1024).max(100_000_000).default(2 * 1024 * 1024),
  /** Lexical tokens of the query text (names, punctuation, values): bounds parsing before it starts. */
  QUERY_MAX_TOKENS_ANONYMOUS: count(1_000),
  QUERY_MAX_TOKENS: count(5_000),
  /** Nesting of selections (`a { b { c } }` is 3); introspection's __schema is not counted. */
  QUERY_MAX_DEPTH_ANONYMOUS: count(8),
  QUERY_MAX_DEPTH: count(12),
  QUERY_MAX_ALIASES_ANONYMOUS: count(15),
  QUERY_MAX_ALIASES: count(50),
  QUERY_MAX_DIRECTIVES_ANONYMOUS: count(10),
  QUERY_MAX_DIRECTIVES: count(50),
  /** Estimated cost: one per field, a connection's selection times its page size, a list's times 10. */
  QUERY_MAX_COST_ANONYMOUS: count(10_000),
  QUERY_MAX_COST: count(50_000),
  /** Live subscriptions one WebSocket may hold, and one receipt (dossier code) across this process. */
  SUBSCRIPTIONS_PER_SOCKET: count(20),
  SUBSCRIPTIONS_PER_RECEIPT: count(5),
};
