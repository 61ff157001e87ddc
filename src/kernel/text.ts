// Vietnamese text compared the way people type it: "nguyen van an" finds "Nguyễn Văn An". The folded
// form is stored (official.search_name, procedure.search_name), so this function must stay stable;
// changing it means recomputing those columns.

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Lower-case, diacritics removed (đ → d), whitespace collapsed and trimmed. */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    // đ/Đ is a letter of its own, not d plus a mark, so NFD leaves it alone.
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * `text` as a LIKE pattern that matches only itself: Prisma's `contains` and `startsWith` pass their
 * value to LIKE as it is (Prisma 7 on PostgreSQL), so "%" would match every name and "_" any
 * character. Backslash is PostgreSQL's default LIKE escape.
 */
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);
