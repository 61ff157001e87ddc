// What is loaded at most once per context (one unit of work, one caller): the caller's own record,
// their agency, rows several fields of one operation ask for. The context never outlives its
// transaction, so nothing here is ever stale or shared between callers.
import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import type { Context } from '../context/context';

/** Where a context keeps the values of oncePerContext that have settled, by key. */
const SETTLED = {};

/** A value computed at most once per context. */
export function oncePerContext<T>(ctx: Context, key: object, compute: () => Promise<T>): Promise<T> {
  let value = ctx.memo.get(key) as Promise<T> | undefined;
  if (!value) {
    value = compute();
    ctx.memo.set(key, value);
    value.then(
      (settled) => settledValues(ctx).set(key, settled),
      () => undefined, // the caller of oncePerContext sees the failure
    );
  }
  return value;
}

const settledValues = (ctx: Context) => {
  let values = ctx.memo.get(SETTLED) as Map<object, unknown> | undefined;
  if (!values) ctx.memo.set(SETTLED, (values = new Map()));
  return values;
};

/** oncePerContext's value for `key` once it has settled (a synchronous check may use it); else undefined. */
export function settledOncePerContext<T>(ctx: Context, key: object): { value: T } | undefined {
  const values = ctx.memo.get(SETTLED) as Map<object, unknown> | undefined;
  return values?.has(key) ? { value: values.get(key) as T } : undefined;
}

/**
 * A DataLoader per context: the keys asked for by the fields of one tick are fetched in one
 * statement (`batch` returns rows; `keyOf` says which key each row answers), each key at most once.
 */
export function loaderOf<Key, Row>(ctx: Context, id: object, batch: (keys: readonly Key[]) => Promise<Row[]>, keyOf: (row: Row) => Key): DataLoader<Key, Row | null> {
  let loader = ctx.memo.get(id) as DataLoader<Key, Row | null> | undefined;
  if (!loader) {
    loader = new DataLoader<Key, Row | null>(async (keys) => {
      const rows = await batch(keys);
      const byKey = new Map(rows.map((row) => [keyOf(row), row]));
      return keys.map((key) => byKey.get(key) ?? null);
    });
    ctx.memo.set(id, loader);
  }
  return loader;
}

/**
 * A value shared by one server's requests for `ttlMs`: for what every request of a kind would read
 * again and what changes rarely (the agency a token's code names). A miss is read by `compute` in the
 * asking context's own transaction, so row-level security decides what enters; the key must name the
 * province. At most `max` keys (least recently used go first). A failed read is not kept.
 */
export function acrossRequests<T>(ctx: Context, id: object, key: string, options: { ttlMs: number; max?: number }, compute: () => Promise<T>): Promise<T> {
  const shared = ctx.platform.shared;
  let cache = shared.get(id) as LRUCache<string, { value: Promise<T> }> | undefined;
  if (!cache) {
    cache = new LRUCache<string, { value: Promise<T> }>({ max: options.max ?? 10_000, ttl: options.ttlMs });
    shared.set(id, cache);
  }
  const hit = cache.get(key);
  if (hit) return hit.value;
  const value = compute();
  const entry = { value };
  cache.set(key, entry);
  value.catch(() => cache.get(key) === entry && cache.delete(key));
  return value;
}
