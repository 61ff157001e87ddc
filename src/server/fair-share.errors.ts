// Error codes of fair sharing (src/server/fair-share.ts), beside the core's RATE_LIMITED.
import { defineErrors } from '../kernel/error-table';

export const FAIR_SHARE_ERRORS = defineErrors({
  PROVINCE_BUSY: {
    status: 503,
    description: "The province already has as many operations in flight as its share of the server allows; nothing was done. Retry after Retry-After seconds.",
    retryable: true,
  },
});
