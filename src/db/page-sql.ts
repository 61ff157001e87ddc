// A connection's page by hand-written SQL: the hot lists (the work queue, the directory) answer
// Pothos' planned query — its select, page size and cursor — with one statement of our own instead of
// Prisma's, with keyset pagination on the list's order. The caller gives the table's filter as SQL
// (on alias t0, `tenant_id` named first) and its values; `$n` placeholders continue after them.
import crypto from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { columnOf, compileSelect, snakeCase, type CompiledSelect } from './select-sql';
import type { Sql } from './sql';

/** What Pothos' prismaConnection hands a resolver as `query`. */
export interface PlannedQuery {
  select?: Record<string, unknown>;
  include?: Record<string, unknown>;
  take?: number;
  skip?: number;
  cursor?: Record<string, Record<string, unknown> | unknown>;
}

export interface OrderKey {
  field: string;
  direction: 'asc' | 'desc';
  /** Where rows without a value go; PostgreSQL's default is last ascending, first descending. */
  nulls?: 'first' | 'last';
}

export interface PageSpec {
  /** The model, as in the Prisma schema (`Dossier`). */
  model: string;
  /** Statement name prefix, for prepared statements: the same filter shape always gets the same name. */
  name?: string;
  /** SQL over alias t0, e.g. `t0.tenant_id = $1 AND t0.agency_id = $2 AND t0.open`. */
  where: string;
  values: unknown[];
  /** The list's order; the last key must be unique within the filter (an id). */
  orderBy: OrderKey[];
  /**
   * The list's count is asked for too (a connection's totalCount): the page's statement carries it,
   * and countRows of the same filter on the same transaction answers it without a statement.
   */
  withCount?: boolean;
}

const nullsOf = (key: OrderKey) => key.nulls ?? (key.direction === 'asc' ? 'last' : 'first');
const flipped = (key: OrderKey): OrderKey => ({
  field: key.field,
  direction: key.direction === 'asc' ? 'desc' : 'asc',
  nulls: nullsOf(key) === 'last' ? 'first' : 'last',
});

const orderSql = (keys: OrderKey[]) => keys.map((key) => `${columnOf('t0', key.field)} ${key.direction.toUpperCase()} NULLS ${nullsOf(key).toUpperCase()}`).join(', ');

/**
 * Pure: `t0` comes after the cursor row `c` in `keys` order (or is it, when `inclusive`). For each key,
 * the earlier keys equal and this one further along, where "further" puts nulls where `keys` does.
 */
export function afterCursorSql(keys: OrderKey[], inclusive: boolean): string {
  const terms = keys.map((key, i) => {
    const equal = keys.slice(0, i).map((earlier) => `${columnOf('t0', earlier.field)} IS NOT DISTINCT FROM ${columnOf('c', earlier.field)}`);
    const mine = columnOf('t0', key.field);
    const theirs = columnOf('c', key.field);
    const beyond = key.direction === 'asc' ? '>' : '<';
    const further =
      nullsOf(key) === 'last'
        ? `(${theirs} IS NOT NULL AND (${mine} IS NULL OR ${mine} ${beyond} ${theirs}))`
        : `(${mine} IS NOT NULL AND (${theirs} IS NULL OR ${mine} ${beyond} ${theirs}))`;
    return [...equal, further].join(' AND ');
  });
  if (inclusive) terms.push(keys.map((key) => `${columnOf('t0', key.field)} IS NOT DISTINCT FROM ${columnOf('c', key.field)}`).join(' AND '));
  return `(${terms.map((term) => `(${term})`).join(' OR ')})`;
}

/** Loads rows by id through Prisma with the planned selection (`{ select }` or `{ include }` of the query). */
export type LoadByIds = (ids: string[], selection: Pick<PlannedQuery, 'select' | 'include'>) => Promise<{ id: string }[]>;

/**
 * The page Pothos planned, in the list's order (forward and backward pages alike): one statement
 * when SQL covers its selection; else the page's ids by SQL and the rows through `load` (Prisma), so
 * that the filter, the order and the cursor have one implementation either way.
 */
export async function readPage(sql: Sql, query: PlannedQuery, spec: PageSpec, load: LoadByIds): Promise<Record<string, unknown>[]> {
  const compiled = !query.include && query.select ? compileSelect(spec.model, query.select) : null;
  if (compiled) return selectPage(sql, query, spec, compiled);
  const keys = await selectPage(sql, query, spec, compileSelect(spec.model, { id: true })!);
  const ids = keys.map((row) => row.id as string);
  const rows = ids.length ? await load(ids, { select: query.select, include: query.include }) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

async function selectPage(sql: Sql, query: PlannedQuery, spec: PageSpec, compiled: CompiledSelect): Promise<Record<string, unknown>[]> {
  const take = query.take ?? 100;
  const backward = take < 0;
  const keys = backward ? spec.orderBy.map(flipped) : spec.orderBy;
  const values = [...spec.values];
  const cursor = query.cursor ? Object.values(query.cursor)[0] : undefined;
  let cursorRow = '';
  let where = spec.where;
  if (cursor && typeof cursor === 'object') {
    // The cursor's row, by its key (Pothos' `tenantId_id`), read in the same statement.
    const match = Object.entries(cursor as Record<string, unknown>).map(([field, value]) => {
      values.push(value);
      return `${columnOf('k', field)} = $${values.length}`;
    });
    cursorRow = `CROSS JOIN (SELECT ${spec.orderBy.map((key) => columnOf('k', key.field)).join(', ')} FROM "${snakeCase(spec.model)}" k WHERE ${match.join(' AND ')}) c`;
    const skip = query.skip ?? 0;
    if (skip > 1) throw new Error(`readPage: a cursor with skip ${skip}`);
    where = `(${where}) AND ${afterCursorSql(keys, skip === 0)}`;
  } else if (query.skip) {
    throw new Error(`readPage: skip ${query.skip} without a cursor`);
  }
  values.push(Math.abs(take));
  // The count, when asked, as a sub-select of the same filter (its own t0; PostgreSQL runs it once).
  const count = spec.withCount ? `, (${countSql(spec)}) AS "${TOTAL}"` : '';
  const text = `SELECT ${compiled.columns}${count} FROM "${snakeCase(spec.model)}" t0 ${compiled.joins} ${cursorRow} WHERE ${where} ORDER BY ${orderSql(keys)} LIMIT $${values.length}`;
  const rows = await sql.rows<Record<string, unknown>>(spec.name ? { name: `${spec.name}_${hash(text)}`, text } : text, values);
  // An empty page carries no count: countRows then asks for it.
  if (spec.withCount && rows.length) countsOf(sql).set(countKey(spec), rows[0][TOTAL] as number);
  const page = rows.map(compiled.read);
  return backward ? page.reverse() : page;
}

const TOTAL = '__total';

const countSql = (spec: Pick<PageSpec, 'model' | 'where'>) => `SELECT count(*)::int AS n FROM "${snakeCase(spec.model)}" t0 WHERE ${spec.where}`;

/** The counts a transaction's pages carried, by filter. */
const counts = new WeakMap<Sql, Map<string, number>>();

function countsOf(sql: Sql): Map<string, number> {
  let known = counts.get(sql);
  if (!known) counts.set(sql, (known = new Map()));
  return known;
}

const countKey = (spec: Pick<PageSpec, 'model' | 'where' | 'values'>) => `${spec.model}\0${spec.where}\0${JSON.stringify(spec.values)}`;

/** The count of the same filter: carried by its page when it asked (PageSpec.withCount), else one statement, the same name scheme. */
export async function countRows(sql: Sql, spec: Pick<PageSpec, 'model' | 'name' | 'where' | 'values'>): Promise<number> {
  // Taken once: a later count of the filter in this transaction (after a write, say) asks the database.
  const key = countKey(spec);
  const carried = counts.get(sql)?.get(key);
  if (carried !== undefined) {
    counts.get(sql)!.delete(key);
    return carried;
  }
  const text = countSql(spec);
  const [row] = await sql.rows<{ n: number }>(spec.name ? { name: `${spec.name}_${hash(text)}`, text } : text, spec.values);
  return row.n;
}

/** The last texts' names: the same few statement texts come back on every request. */
const names = new LRUCache<string, string>({ max: 1000 });

/** A stable name for a statement's text (a connection prepares each name once: two texts must never share one). */
function hash(text: string): string {
  let name = names.get(text);
  if (name === undefined) names.set(text, (name = crypto.createHash('sha1').update(text).digest('base64url')));
  return name;
}
