// What the YAML files an operator edits (tenants/*.yaml, the national procedure catalogue) share
// when one is refused: fields named as people read them, syntax errors by line and column, zod's
// messages in Vietnamese with a missing field called missing, and the file named as it was typed.
import path from 'node:path';
import type { Document } from 'yaml';
import { z } from 'zod';

/** ['agencies', 2, 'code'] → "agencies[2].code"; `whole` names the empty path (the file, the entry). */
export function formatFieldPath(fieldPath: readonly PropertyKey[], whole: string): string {
  if (fieldPath.length === 0) return whole;
  return fieldPath.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}

/** A document's syntax errors: where ("dòng 3, cột 9", or '(tệp)') and what. */
export function yamlSyntaxIssues(document: Document): { where: string; message: string }[] {
  return document.errors.map((error) => ({
    where: error.linePos ? `dòng ${error.linePos[0].line}, cột ${error.linePos[0].col}` : '(tệp)',
    message: `lỗi cú pháp YAML: ${error.message.split('\n')[0]}`,
  }));
}

const vietnameseMessages = z.locales.vi().localeError;

/**
 * zod's messages in Vietnamese, except that a missing field reads "thiếu trường bắt buộc" rather
 * than "expected string, received undefined", or "invalid option" when the field is an enum.
 */
export const vietnameseErrorMap: z.core.$ZodErrorMap = (issue) =>
  (issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined
    ? 'thiếu trường bắt buộc'
    : vietnameseMessages(issue);

/** A file's path relative to the working directory when it is inside it, as the operator typed it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}
