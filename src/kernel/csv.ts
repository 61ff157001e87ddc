// CSV the platform writes, for people who open it in a spreadsheet. A cell that begins with = + - @
// (or a tab or carriage return, which spreadsheets also read past) would run as a formula there, so
// such a text cell gets a leading apostrophe (OWASP's "CSV injection" advice); numbers are written as
// they are. Every CSV the platform produces goes through toCsv. Pure.

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: formula-leading text neutralised, quoted when it holds a comma, a quote or a line break. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Rows (the header first) as a CSV file: CRLF line ends (RFC 4180) and a UTF-8 byte-order mark, without
 * which Excel reads Vietnamese as mojibake. The officials import reads such a file back.
 */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
