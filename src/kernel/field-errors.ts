// zod's issues as the field errors a validation error carries (extensions.fieldErrors): the path
// joined with dots, so a frontend can put each message beside its field.
import type { z } from 'zod';
import type { FieldError } from '../errors';

export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || 'input', message: issue.message }));
}
