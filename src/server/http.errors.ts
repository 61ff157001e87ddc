// Error codes of the HTTP edge: requests refused before they become GraphQL operations.
import { defineErrors } from '../kernel/error-table';

export const HTTP_ERRORS = defineErrors({
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The request body is larger than the server accepts (2 MB); nothing was read or run.' },
});
