// Searching a province's issued documents: by number and symbol, type, issuer, date range, and the
// words of the summary, symbol, type and signer typed without diacritics ("cai cach hanh chinh"
// finds "cải cách hành chính"). The words go through PostgreSQL's full-text search ('simple'
// configuration, GIN index over the folded text: no extension), the last word as a prefix. Read by
// SQL (db/page-sql.ts): one statement for the page, whatever the filter.
import type { ProvinceContext } from '../../context/context';
import { callerAgency } from '../../context/current-official';
import { readPage, type PageSpec, type PlannedQuery } from '../../db/page-sql';
import { foldForSearch } from '../../kernel/text';
import { DOCUMENT_TYPES, type DocumentType } from './document-symbol';
import { keepsRegisters } from './document.service';

export interface DocumentSearch {
  text?: string | null;
  symbol?: string | null;
  type?: DocumentType | null;
  issuerId?: string | null;
  issuedFrom?: Date | null;
  issuedTo?: Date | null;
}

/** What a document is found by: its summary, symbol, type's name and signer, folded. Stored as search_text. */
export const searchTextOf = (document: { summary: string; type: DocumentType; symbol?: string | null; signerName?: string | null }) =>
  foldForSearch([document.summary, DOCUMENT_TYPES[document.type].name, document.symbol ?? '', document.signerName ?? ''].join(' '));

/** Pure: typed words as a tsquery every word of which must match, the last as a prefix; null for none. */
export function wordsQuery(text: string): string | null {
  const words = foldForSearch(text).split(/[^a-z0-9]+/).filter(Boolean).slice(0, 12);
  if (!words.length) return null;
  return words.map((word, i) => (i === words.length - 1 ? `${word}:*` : word)).join(' & ');
}

/** The issued documents a search names, as SQL over `t0`, `tenant_id` first; secret ones only for those granted. */
export async function documentSearchFilter(ctx: ProvinceContext, search: DocumentSearch): Promise<Omit<PageSpec, 'orderBy'>> {
  const values: unknown[] = [ctx.province.id];
  const terms = ['t0.tenant_id = $1', `t0.status = 'ISSUED'`];
  const value = (given: unknown, cast = '') => (values.push(given), `$${values.length}${cast}`);
  const agency = await callerAgency(ctx);
  const granted = keepsRegisters(ctx);
  terms.push(granted && agency ? `(t0.confidentiality = 'NORMAL' OR t0.issuer_id = ${value(agency.id, '::uuid')})` : `t0.confidentiality = 'NORMAL'`);
  const words = search.text ? wordsQuery(search.text) : null;
  if (words) terms.push(`t0.search_vector @@ to_tsquery('simple'::regconfig, ${value(words)})`);
  if (search.symbol?.trim()) terms.push(`t0.symbol = ${value(search.symbol.normalize('NFC').replace(/\s+/g, ''))}`);
  if (search.type) terms.push(`t0.type = ${value(search.type, '::"DocumentType"')}`);
  if (search.issuerId) terms.push(`t0.issuer_id = ${value(search.issuerId, '::uuid')}`);
  if (search.issuedFrom) terms.push(`t0.issued_on >= ${value(search.issuedFrom, '::date')}`);
  if (search.issuedTo) terms.push(`t0.issued_on <= ${value(search.issuedTo, '::date')}`);
  return { model: 'OfficialDocument', name: 'document_search', where: terms.join(' AND '), values };
}

/** The page Pothos planned, newest issue first. */
export async function searchDocuments(ctx: ProvinceContext, search: DocumentSearch, query: PlannedQuery) {
  const spec = await documentSearchFilter(ctx, search);
  const tenantId = ctx.province.id;
  return readPage(ctx.sql, query, { ...spec, orderBy: [{ field: 'issuedOn', direction: 'desc' }, { field: 'id', direction: 'desc' }] }, (ids, selection) =>
    ctx.db.officialDocument.findMany({ ...selection, where: { tenantId, id: { in: ids } } } as { where: { tenantId: string } }),
  );
}
