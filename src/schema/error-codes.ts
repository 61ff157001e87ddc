// The error contract as part of the API: every code a client may receive in extensions.code, with
// what to do about it, so that frontends can switch on them (generated from src/errors.ts).
import { ERRORS } from '../errors';
import { builder } from './builder';

builder.enumType('ErrorCode', {
  description: 'The values of extensions.code in errors. HTTP status applies when the whole operation failed.',
  values: Object.fromEntries(
    Object.entries(ERRORS).map(([code, entry]) => [code, { description: `${entry.description} (HTTP ${entry.status})` }]),
  ) as Record<keyof typeof ERRORS, { description: string }>,
});
