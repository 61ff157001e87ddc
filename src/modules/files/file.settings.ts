// The files module's environment variables, checked at start with the core's (src/config.ts).
import { z } from 'zod';

const megabytes = (fallback: number) => z.coerce.number().int().min(1).max(1024).default(fallback);

export const FILE_SETTINGS = {
  /** Largest paper a dossier may carry (a scan), in MB. */
  FILE_MAX_MB_DOSSIER_PAPER: megabytes(20),
  /** Largest dossier result, in MB. */
  FILE_MAX_MB_DOSSIER_RESULT: megabytes(20),
  /** Largest official document file, in MB. */
  FILE_MAX_MB_DOCUMENT: megabytes(50),
  /** Uploads of one province in flight at once in this process: each holds a connection for a moment per 256 kB. */
  FILE_UPLOADS_PER_PROVINCE: z.coerce.number().int().min(1).max(100).default(4),
  /** Minutes an uploaded file may wait for a dossier or document to take it before it is removed. */
  FILE_UNATTACHED_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(24 * 60),
};
