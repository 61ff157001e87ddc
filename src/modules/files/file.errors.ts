// Error codes of the files module, beside the core's (src/errors.ts).
import { defineErrors } from '../../kernel/error-table';

export const FILE_ERRORS = defineErrors({
  FILE_TOO_LARGE: { status: 413, description: 'The file is over the size limit of its kind; extensions.maxBytes gives the limit. Nothing was kept.' },
  FILE_TYPE_NOT_ALLOWED: { status: 415, description: 'The content is not one of the types its kind allows (sniffed from the content, not the name); extensions.allowedTypes lists them. Nothing was kept.' },
  FILE_NOT_USABLE: { status: 400, description: 'A file id given to a mutation names no finished upload of the caller in this province, of the right kind, or one already taken; extensions.fileIds lists which.' },
  UPLOADS_BUSY: { status: 503, description: 'The province already has the most uploads in flight this server takes; retry after Retry-After seconds.', retryable: true },
});
