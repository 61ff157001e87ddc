// Error codes of the dossiers module, beside the core's (src/errors.ts).
import { defineErrors } from '../../kernel/error-table';

export const DOSSIER_ERRORS = defineErrors({
  MISSING_DOCUMENTS: { status: 400, description: 'Required documents were not handed in; extensions.missingDocuments lists their codes.' },
  PROCEDURE_NOT_PERFORMED: { status: 400, description: 'The agency does not perform this procedure in this province.' },
  DOSSIER_NOT_FOUND: { status: 404, description: 'No dossier with this code and tracking secret (the two are never told apart).' },
  NOT_RETURNED_YET: { status: 409, description: 'The dossier can be rated only once its result has been returned (status RETURNED).' },
  ALREADY_RATED: { status: 409, description: 'The dossier has been rated already; a rating is given once and not changed.' },
});
