// Text as the API takes it in: one Unicode form and a bounded length. Vietnamese typed with
// combining marks (NFD, as some keyboards and macOS file names send it) looks like the precomposed
// form (NFC) but compares differently, so a search or a uniqueness check would miss it; every string
// argument is stored and compared as NFC. Pure: the schema plugin (schema/input-hygiene.ts) applies it.

/** The cap of a string argument that declares none: a name, a note, a search. */
export const DEFAULT_MAX_INPUT_LENGTH = 1000;

// NFC shortens Vietnamese typed with combining marks at most threefold (e + ̣ + ̂ → ệ): text
// longer than this is refused without normalising it.
const MAX_DECOMPOSED_FACTOR = 4;

/** Characters as PostgreSQL counts them: code points, not UTF-16 units. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

export type InputText = { ok: true; text: string } | { ok: false };

/** `text` in NFC, or not ok when it is longer than `maxLength` characters (counted in NFC). */
export function normaliseInputText(text: string, maxLength: number): InputText {
  if (text.length > maxLength * MAX_DECOMPOSED_FACTOR) return { ok: false };
  const normalised = text.normalize('NFC');
  // A code unit is at most a character, so a short string needs no counting.
  if (normalised.length > maxLength && characterCount(normalised) > maxLength) return { ok: false };
  return { ok: true, text: normalised };
}

/** What a person reads beside the field. */
export const tooLongMessage = (field: string, maxLength: number) =>
  `Trường ${field} dài quá ${maxLength.toLocaleString('vi-VN')} ký tự cho phép`;
