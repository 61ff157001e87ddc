// What is loaded at most once per context (one unit of work, one caller): the caller's own record,
// their agency, rows several fields of one operation ask for. The context never outlives its
// transaction, so nothing here is ever stale or shared between callers.
import DataLoader from 'dataloader';
import type { Context } from '../context/context';

/** A value computed at most once per context. */
export function oncePerContext<T>(ctx: Context, key: object, compute: () => Promise<T>): Promise<T> {
  let value = ctx.memo.get(key) as Promise<T> | undefined;
  if (!value) {
    value = compute();
    ctx.memo.set(key, value);
  }
  return value;
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
