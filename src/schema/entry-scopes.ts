// A Pothos plugin, just before ScopeAuth, that checks a type's scopes where its objects enter the
// response instead of on each of its fields, when those scopes are a fixed map (`authScopes:
// { official: true, provinceAdmin: true }` on Official), not a function of the object.
//
// Why: scope-auth checks a type's scopes as a step of every field of the type, so every field keeps
// a resolver, and graphql-jit (src/server/executor.ts) pays a resolver call per field and row: a
// response path, a resolve info and closures each time. On a directory page of 50 officials that was
// a third of the request's garbage. A fixed map does not depend on the object, so its answer is the
// same for every field of every such object in a request: checking it once per field that returns
// the type decides the same thing. The fields of the type then skip it (`skipTypeScopes`), and those
// that only read a column become property reads (loaded-columns.ts).
//
// Where objects of such a type enter:
// - a field whose type is the type, or a list of it (a relation, a payload's field, a connection's
//   edge `node`): the type's map is added to the field's own scopes, both must pass;
// - `node(id)` and `nodes(ids)`: the ids say their types (relay global ids), so the maps of those
//   types are checked before anything is loaded;
// - any other field of an abstract type that such a type belongs to would let its objects in
//   unchecked: building the schema fails (fail closed). Federation's `_entities` is checked by a test.
// A caller without the scope now gets the entering field as null with the error, where each field
// of the object was null with an error before.
import SchemaBuilder, { BasePlugin, PothosSchemaError, isThenable, type PothosOutputFieldConfig, type PothosTypeConfig, type SchemaTypes } from '@pothos/core';

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      entryScopes: EntryScopesPlugin<Types>;
    }
  }
}

type ScopeMap = Record<string, unknown>;
type ScopeResult = ScopeMap | boolean;
type ScopeFunction = (parent: unknown, args: Record<string, unknown>, context: object, info: unknown) => ScopeResult | Promise<ScopeResult>;

/** The types whose fixed scopes are checked at entry, by name, with their maps (for the node fields and tests). */
export const scopesAtEntry = new Map<string, ScopeMap>();

/** Pure: both `own` (a field's scopes, possibly none) and `entering` (a type's fixed map) must pass. */
export function bothScopes(own: ScopeResult | undefined, entering: ScopeMap): ScopeResult {
  if (own === undefined || own === true) return entering;
  if (own === false) return false;
  return { $all: { $any: own, $all: { $any: entering } } };
}

const isRoot = (config: PothosTypeConfig) => config.kind === 'Query' || config.kind === 'Mutation' || config.kind === 'Subscription';

/** The type's scopes when they are a fixed map of a non-root object type (checked at entry), else null. */
function fixedScopesOf(config: PothosTypeConfig): ScopeMap | null {
  if (config.kind !== 'Object' || isRoot(config)) return null;
  const options = config.pothosOptions as { authScopes?: unknown; runScopesOnType?: boolean; grantScopes?: unknown };
  const scopes = options.authScopes;
  if (!scopes || typeof scopes !== 'object' || options.runScopesOnType || options.grantScopes) return null;
  return scopes as ScopeMap;
}

type OutputType = PothosOutputFieldConfig<SchemaTypes>['type'];
const namedOf = (type: OutputType) => (type.kind === 'List' ? type.type : type);

/** relay's `node(id)` / `nodes(ids)`: their arguments are parsed global ids, `{ typename, id }`. */
const NODE_FIELDS: Record<string, string> = { node: 'id', nodes: 'ids' };

export class EntryScopesPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    const own = (fieldConfig.pothosOptions as { authScopes?: ScopeMap | ScopeFunction }).authScopes;
    const changed: { skipTypeScopes?: true; authScopes?: ScopeMap | ScopeFunction } = {};
    // The type's own fields: its map was checked where the object entered.
    if (this.fixedScopes(fieldConfig.parentType)) changed.skipTypeScopes = true;

    const named = namedOf(fieldConfig.type as OutputType);
    if (named.kind === 'Object') {
      const entering = this.fixedScopes(named.ref);
      if (entering) changed.authScopes = typeof own === 'function' ? withEntering(own, () => entering) : (bothScopes(own, entering) as ScopeMap);
    } else if (named.kind === 'Interface' || named.kind === 'Union') {
      const abstract = this.buildCache.getTypeConfig(named.ref);
      const members = abstract.kind === 'Union' ? abstract.types.map((type) => this.buildCache.getTypeConfig(type)) : this.buildCache.getImplementers({ name: abstract.name } as never); // it reads the name only
      const guarded = members.filter((member) => this.fixedScopes(member.name)).map((member) => member.name);
      if (guarded.length) {
        const argument = NODE_FIELDS[fieldConfig.name];
        if (!isRoot(this.buildCache.getTypeConfig(fieldConfig.parentType)) || !argument || !fieldConfig.args[argument]) {
          throw new PothosSchemaError(
            `${String(fieldConfig.parentType)}.${fieldConfig.name} returns ${abstract.name}, which ${guarded.join(', ')} belong to: their scopes would go unchecked (entry-scopes.ts)`,
          );
        }
        changed.authScopes = withEntering(own, (args) => enteringByIds(args[argument]));
      }
    }
    if (!changed.skipTypeScopes && !changed.authScopes) return fieldConfig;
    return { ...fieldConfig, pothosOptions: { ...fieldConfig.pothosOptions, ...changed } } as PothosOutputFieldConfig<Types>;
  }

  /** The type's fixed map, noted by name for the node fields, or null. */
  private fixedScopes(ref: Parameters<BasePlugin<Types>['buildCache']['getTypeConfig']>[0]): ScopeMap | null {
    const config = this.buildCache.getTypeConfig(ref);
    const fixed = fixedScopesOf(config);
    if (fixed) scopesAtEntry.set(config.name, fixed);
    return fixed;
  }
}

/** The fixed maps of the types the given global ids name (`{ typename }`), all of which must pass; null when none has one. */
function enteringByIds(ids: unknown): ScopeMap | null {
  const list = (Array.isArray(ids) ? ids : [ids]) as ({ typename?: string } | null)[];
  const maps = [...new Set(list.map((id) => id?.typename))].flatMap((typename): ScopeMap[] => {
    const map = typename ? scopesAtEntry.get(typename) : undefined;
    return map ? [map] : [];
  });
  return maps.length ? maps.reduce((all: ScopeMap, map) => bothScopes(all, map) as ScopeMap) : null;
}

/** A field's scopes as a function, with the map of what enters (per call) added; none entering: the field's own. */
function withEntering(own: ScopeMap | ScopeFunction | undefined, entering: (args: Record<string, unknown>) => ScopeMap | null): ScopeFunction {
  return (parent, args, context, info) => {
    const map = entering(args);
    const mine: ScopeResult | Promise<ScopeResult> | undefined = typeof own === 'function' ? own(parent, args, context, info) : own;
    if (!map) return mine ?? true;
    return isThenable(mine) ? (mine as Promise<ScopeResult>).then((result) => bothScopes(result, map)) : bothScopes(mine, map);
  };
}

SchemaBuilder.registerPlugin('entryScopes', EntryScopesPlugin);
export const entryScopes = 'entryScopes' as const;
