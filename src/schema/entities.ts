// Federation: how a gateway's `_entities(representations: [...])` loads our rows. The references of
// one `_entities` field are batched per type (a DataLoader per context and field) into one query with
// the Prisma selection Pothos plans from what the gateway asked for, so an entity's fields, its
// relations included, need no loading of their own afterwards. A key that matches nothing, or cannot
// be a key at all (a malformed id), answers null: to a gateway that is "no such entity", not a fault.
import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import { queryFromInfo } from '@pothos/plugin-prisma';
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { Context } from '../context/context';
import { loaderOf } from '../kernel/per-context';

/** The selection Pothos planned for the entity's type: spread into a Prisma `findMany`. */
export type EntityQuery = { select?: object; include?: object };

export interface EntityLoader<Key, Row> {
  typeName: string;
  /** Columns the loader needs beyond what the gateway asked for (the key's, in select mode). */
  select?: Record<string, true>;
  /** The rows of these keys that exist (any order, missing ones left out). */
  load(ctx: Context, keys: readonly Key[], query: EntityQuery): Promise<Row[]>;
  keyOf(row: Row): Key;
}

const loaderIds = new WeakMap<FieldNode, Map<object, object>>();

/** One DataLoader per `_entities` field of the operation and entity loader (a type may have several keys): they share one selection. */
function loaderIdOf(info: GraphQLResolveInfo, entity: object): object {
  const node = info.fieldNodes[0];
  let byLoader = loaderIds.get(node);
  if (!byLoader) loaderIds.set(node, (byLoader = new Map()));
  let id = byLoader.get(entity);
  if (!id) byLoader.set(entity, (id = {}));
  return id;
}

/** resolveReference's body: the row of `key`, batched with the other references of this field, or null. */
export function loadEntity<Key, Row>(ctx: Context, info: GraphQLResolveInfo, entity: EntityLoader<Key, Row>, key: Key | null): Promise<Row | null> {
  if (key === null) return Promise.resolve(null);
  const loader = loaderOf<Key, Row>(
    ctx,
    loaderIdOf(info, entity),
    (keys) => {
      const query = queryFromInfo({ context: ctx, info, typeName: entity.typeName, ...(entity.select ? { select: entity.select } : {}) }) as EntityQuery;
      return entity.load(ctx, keys, query);
    },
    entity.keyOf,
  );
  return loader.load(key);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The row id a Relay global id of `typeName` carries, or null when it is not one (another type's, malformed). */
export function rowIdOf(globalId: unknown, typeName: string): string | null {
  if (typeof globalId !== 'string') return null;
  try {
    const { typename, id } = decodeGlobalID(globalId);
    return typename === typeName && UUID.test(id) ? id.toLowerCase() : null;
  } catch {
    return null;
  }
}
