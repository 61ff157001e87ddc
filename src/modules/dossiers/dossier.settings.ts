// The dossiers module's environment variables, checked at start with the core's (src/config.ts).
import { z } from 'zod';

export const DOSSIER_SETTINGS = {
  /** Failed dossier-tracking lookups allowed per client, and per province, in a 10-minute window. */
  TRACKING_FAILURES_PER_CLIENT: z.coerce.number().int().min(1).default(10),
  TRACKING_FAILURES_PER_PROVINCE: z.coerce.number().int().min(1).default(1000),
  /** Base URL of the national public-service portal's sync API; unset: changes wait in the outbox. */
  NATIONAL_PORTAL_URL: z.string().url().optional(),
  /** How long one send to the national portal may take before it counts as failed and is retried. */
  NATIONAL_PORTAL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** First retry delay; doubles per attempt up to an hour. */
  SYNC_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  /** Attempts before a record is marked FAILED for an operator to replay. */
  SYNC_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
  /** How often the job runner looks for jobs that became due (retries); new jobs wake it at once. */
  SYNC_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(5_000),
};
