// The shape of an error table. The core and each module declare theirs (`<module>.errors.ts`);
// src/errors.ts joins them into the one ErrorCode union, so a code without an entry does not compile.

export interface ErrorEntry {
  /** The HTTP status when the error fails the whole operation (no data). */
  status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 503;
  /** What a frontend should do about it; published on the GraphQL enum ErrorCode. */
  description: string;
  /** Worth retrying as it is, later: the answer carries Retry-After. */
  retryable?: boolean;
}

export type ErrorTable = Record<string, ErrorEntry>;

/** Keeps the literal keys of a table while checking its entries. */
export const defineErrors = <const Table extends ErrorTable>(table: Table): Table => table;
