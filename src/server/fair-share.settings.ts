// Fair sharing's environment variables (src/server/fair-share.ts), checked at start with the core's.
import { z } from 'zod';

export const FAIR_SHARE_SETTINGS = {
  /** The rate limits' window, in seconds. */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Operations an anonymous client (by address) may send per window; 0: no limit. */
  RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(0).default(300),
  /** Operations a signed-in caller (by token subject, in a province) may send per window; 0: no limit. */
  RATE_LIMIT_PER_SUBJECT: z.coerce.number().int().min(0).default(300),
  /** Operations all callers of one province together may send per window; 0: no limit. */
  RATE_LIMIT_PER_PROVINCE: z.coerce.number().int().min(0).default(30_000),
  /** Operations of one province in flight at once in one process; unset: a quarter of DATABASE_POOL_SIZE, rounded up. */
  PROVINCE_MAX_CONCURRENT: z.coerce.number().int().min(1).max(200).optional(),
  /** How long an operation may wait for its province's slot before PROVINCE_BUSY. */
  PROVINCE_QUEUE_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  /** Operations of one province that may wait for a slot at once in one process. */
  PROVINCE_MAX_QUEUED: z.coerce.number().int().min(0).max(100_000).default(100),
};
