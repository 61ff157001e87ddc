// The documents module's environment variables, checked at start with the core's (src/config.ts).
import { z } from 'zod';

export const DOCUMENT_SETTINGS = {
  /** The national document exchange's endpoint for recipients outside the platform; unset: their envelopes wait. */
  NATIONAL_EXCHANGE_URL: z.string().url().optional(),
  /** How long one send may take before it counts as failed and is retried. */
  NATIONAL_EXCHANGE_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  /** First retry delay; doubles per attempt up to an hour. */
  EXCHANGE_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  /** Bearer token the national exchange presents when it reports a recipient's status (POST /exchange/status); unset: the endpoint is off. */
  NATIONAL_EXCHANGE_CALLBACK_TOKEN: z.string().min(16).optional(),
  /** Attempts before an envelope's delivery is FAILED for an operator to look at. */
  EXCHANGE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
};
