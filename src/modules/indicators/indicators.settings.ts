// The indicators module's environment variables, checked at start with the core's (src/config.ts).
import { z } from 'zod';

export const INDICATOR_SETTINGS = {
  /** A ministry sees no figure over fewer dossiers than this (small-cell suppression); 1 shows all. */
  MINISTRY_MINIMUM_CELL: z.coerce.number().int().min(1).max(1000).default(5),
};
