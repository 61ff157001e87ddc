// Error codes of the calendar module, beside the core's (src/errors.ts).
import { defineErrors } from '../../kernel/error-table';

export const CALENDAR_ERRORS = defineErrors({
  CALENDAR_PAST_DAY_LOCKED: {
    status: 403,
    description: 'A day already past is locked: due dates were computed from it. Only a platform admin may correct it, with a reason (audited).',
  },
});
