// A Pothos plugin, just outside the Prisma plugin, that hands Prisma's resolvers one response-path
// object per path and request, as graphql-js does.
//
// Why: the executor (src/server/executor.ts) is graphql-jit, which builds a new `info.path` chain
// for every resolver call. Pothos' selection mapper recognises "the field above me, which loaded my
// row with a nested plan" by the identity of the path objects of the chain, so with fresh chains a
// relation two levels down (an official's agency's parent) missed the plan that had loaded it and
// read it again. Interning the chain per request restores graphql-js' identities. Fields that read a
// loaded column directly (loaded-columns.ts) skip this, as they skip the Prisma plugin; so do
// property reads, and the fields of connection and edge types (edges, node, cursor, pageInfo,
// totalCount), which hand on what the list's resolver made and look no plan up.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLResolveInfo } from 'graphql';

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      stablePaths: StablePathsPlugin<Types>;
    }
  }
}

type Path = GraphQLResolveInfo['path'];
interface StablePath {
  readonly prev: StablePath | undefined;
  readonly key: string | number;
  readonly typename: string | undefined;
  next?: Map<string | number, StablePath>;
}

/** The extension that marks connection and edge types (builder.ts: the relay plugin's defaults). */
export const PAGING_TYPE = 'pagingType';

/** The root links of each request's paths, by request context. */
const rootsOf = new WeakMap<object, Map<string | number, StablePath>>();

/** The one path object of this request for `path`'s chain of keys. */
function stable(roots: Map<string | number, StablePath>, path: Path, typename: string | undefined): StablePath {
  const prev = path.prev ? stable(roots, path.prev, path.prev.typename) : undefined;
  const siblings = prev ? (prev.next ??= new Map()) : roots;
  let link = siblings.get(path.key);
  if (!link) siblings.set(path.key, (link = { prev, key: path.key, typename }));
  return link;
}

/** `info` with its path interned for the request `context`; unchanged when it already is. */
export function withStablePath(context: object, info: GraphQLResolveInfo): GraphQLResolveInfo {
  let roots = rootsOf.get(context);
  if (!roots) rootsOf.set(context, (roots = new Map()));
  const path = stable(roots, info.path, info.parentType.name) as Path;
  return path === info.path ? info : { ...info, path };
}

export class StablePathsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(resolver: GraphQLFieldResolver<unknown, object>, fieldConfig: PothosOutputFieldConfig<Types>): GraphQLFieldResolver<unknown, object> {
    if (resolver === defaultFieldResolver) return resolver; // a property read looks nothing up
    if (this.buildCache.getTypeConfig(fieldConfig.parentType).extensions?.[PAGING_TYPE]) return resolver;
    return (parent, args, context, info) => resolver(parent, args, context, withStablePath(context, info));
  }
}

SchemaBuilder.registerPlugin('stablePaths', StablePathsPlugin);
export const stablePaths = 'stablePaths' as const;
