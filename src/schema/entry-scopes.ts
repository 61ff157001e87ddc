// A Pothos plugin, just before ScopeAuth, that checks a type's scopes once per object, where the
// object enters the response, instead of on each of its fields.
//
// Why: scope-auth checks a type's scopes (Official's `{ official, provinceAdmin }`, Dossier's
// `canSeeDossier`) as a step of every field of the type, so every field keeps a resolver, and
// graphql-jit (src/server/executor.ts) pays a resolver call per field and row: a response path, a
// resolve info and closures each time. On a directory page of 50 officials that was a third of the
// request's garbage, on a work queue of 25 dossiers half of it. scope-auth can run a type's scopes
// once per object instead (`runScopesOnType`, in isTypeOf), but graphql-jit calls isTypeOf without
// the request's context. So the check moves to the fields an object enters by, and runs there as
// scope-auth's own per-object check (its isTypeOf check, built by the plugin: the same scopes, the
// same caching and the same errors); the type's fields skip it (`skipTypeScopes`), and those that
// only read a column become property reads (loaded-columns.ts).
//
// Where objects of such a type enter:
// - a field whose type is the type, or a list of it (a relation, a payload's field, a connection's
//   edge `node`): each object it returns is checked; one refused is an error in its place (a list
//   keeps the others), as each of its non-null fields failing was before;
// - `node(id)` and `nodes(ids)`: the ids say their types (relay global ids), each object is checked
//   as its type's;
// - any other field of an abstract type that such a type belongs to would let its objects in
//   unchecked: building the schema fails (fail closed). Federation's `_entities` is checked by a test.
// Types whose scopes grant scopes to their fields, or that run them on the type already, are left
// as scope-auth has them.
import SchemaBuilder, { BasePlugin, PothosSchemaError, isThenable, type PothosOutputFieldConfig, type PothosTypeConfig, type SchemaTypes } from '@pothos/core';
import { ForbiddenError, PothosScopeAuthPlugin } from '@pothos/plugin-scope-auth';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      entryScopes: EntryScopesPlugin<Types>;
    }
  }
}

type Resolver = GraphQLFieldResolver<unknown, object>;
/** scope-auth's check of a type's scopes on one object: true, or it throws (or rejects) the refusal. */
type ObjectCheck = (object: unknown, context: object, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

/** The types whose scopes are checked where their objects enter, by name (for the node fields and tests). */
export const checkedAtEntry = new Map<string, ObjectCheck>();

const isRoot = (config: PothosTypeConfig) => config.kind === 'Query' || config.kind === 'Mutation' || config.kind === 'Subscription';

/** Pure: whether the type's scopes move to where its objects enter. */
export function movesToEntry(config: PothosTypeConfig): boolean {
  if (config.kind !== 'Object' || isRoot(config)) return false;
  const options = config.pothosOptions as { authScopes?: unknown; runScopesOnType?: boolean; grantScopes?: unknown };
  return Boolean(options.authScopes) && !options.runScopesOnType && !options.grantScopes;
}

type OutputType = PothosOutputFieldConfig<SchemaTypes>['type'];

/** The type inside the field's lists, and how many lists deep it is. */
function namedOf(type: OutputType): { named: OutputType; lists: number } {
  let lists = 0;
  while (type.kind === 'List') (type = type.type), lists++;
  return { named: type, lists };
}

/** relay's `node(id)` / `nodes(ids)`: their arguments are parsed global ids, `{ typename, id }`. */
const NODE_FIELDS: Record<string, string> = { node: 'id', nodes: 'ids' };

/** The refusal of an object, as the value in its place: graphql-js and graphql-jit report an Error value as the field's error. */
const refusal = (error: unknown, info: GraphQLResolveInfo) => (error instanceof Error ? error : new ForbiddenError(`Not authorized to read ${info.fieldName}`));

/** The object if `check` lets it in, else its refusal. */
function admitted(object: unknown, check: ObjectCheck | undefined, context: object, info: GraphQLResolveInfo): unknown {
  if (!check || object === null || object === undefined || object instanceof Error) return object;
  let allowed: boolean | Promise<boolean>;
  try {
    allowed = check(object, context, info);
  } catch (error) {
    return refusal(error, info);
  }
  if (isThenable(allowed)) return allowed.then((yes) => (yes ? object : refusal(null, info)), (error: unknown) => refusal(error, info));
  return allowed ? object : refusal(null, info);
}

/** Each object of `value` (one, a list, or a promise of either) admitted by the check `checkFor(index)` gives. */
function admittedAll(value: unknown, checkFor: (index: number) => ObjectCheck | undefined, context: object, info: GraphQLResolveInfo): unknown {
  if (isThenable(value)) return value.then((resolved) => settle(admittedAll(resolved, checkFor, context, info)));
  if (!Array.isArray(value)) return settle(admitted(value, checkFor(0), context, info));
  let items: unknown[] | null = null; // a copy only when an item is replaced
  let pending = false;
  for (let index = 0; index < value.length; index++) {
    const item = admitted(value[index], checkFor(index), context, info);
    if (item === value[index]) continue;
    (items ??= [...value])[index] = item;
    pending ||= isThenable(item);
  }
  return items ? (pending ? Promise.all(items) : items) : value;
}

/** A single object refused is thrown (a list keeps its refused items as Error values). */
function settle(value: unknown): unknown {
  if (isThenable(value)) return value.then(settle);
  if (value instanceof Error) throw value;
  return value;
}

export class EntryScopesPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  /** scope-auth's per-object check of the type (its isTypeOf check with `runScopesOnType`), when its scopes move to entry. */
  private checkOf(ref: Parameters<BasePlugin<Types>['buildCache']['getTypeConfig']>[0]): ObjectCheck | undefined {
    const config = this.buildCache.getTypeConfig(ref);
    if (checkedAtEntry.has(config.name)) return checkedAtEntry.get(config.name);
    if (!movesToEntry(config)) return undefined;
    const scopeAuth = (this.buildCache as unknown as { pluginList: BasePlugin<Types>[] }).pluginList.find((plugin) => plugin instanceof PothosScopeAuthPlugin);
    if (!scopeAuth) throw new PothosSchemaError('entryScopes needs the scope-auth plugin after it');
    const runOnType = { ...config, pothosOptions: { ...config.pothosOptions, runScopesOnType: true } } as PothosTypeConfig;
    const check = scopeAuth.wrapIsTypeOf(undefined, runOnType as never) as ObjectCheck | undefined;
    if (check) checkedAtEntry.set(config.name, check);
    return check;
  }

  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    // The type's own fields: the object was checked where it entered.
    if (!this.checkOf(fieldConfig.parentType)) return fieldConfig;
    return { ...fieldConfig, pothosOptions: { ...fieldConfig.pothosOptions, skipTypeScopes: true } } as PothosOutputFieldConfig<Types>;
  }

  override wrapResolve(resolver: Resolver, fieldConfig: PothosOutputFieldConfig<Types>): Resolver {
    const { named, lists } = namedOf(fieldConfig.type as OutputType);
    if (named.kind === 'Object') {
      const check = this.checkOf(named.ref);
      if (!check) return resolver;
      // A list of lists is checked one level deep only: refused rather than let its objects in unchecked.
      if (lists > 1) throw new PothosSchemaError(`${String(fieldConfig.parentType)}.${fieldConfig.name}: a list of lists of ${this.buildCache.getTypeConfig(named.ref).name} (entry-scopes.ts checks one list level)`);
      const checkFor = () => check;
      return (parent, args, context, info) => admittedAll(resolver(parent, args, context, info), checkFor, context, info);
    }
    if (named.kind !== 'Interface' && named.kind !== 'Union') return resolver;
    const abstract = this.buildCache.getTypeConfig(named.ref);
    const members = abstract.kind === 'Union' ? abstract.types.map((type) => this.buildCache.getTypeConfig(type)) : this.buildCache.getImplementers({ name: abstract.name } as never); // it reads the name only
    const guarded = members.filter((member) => this.checkOf(member.name)).map((member) => member.name);
    if (!guarded.length) return resolver;
    const argument = NODE_FIELDS[fieldConfig.name];
    if (lists > 1 || !isRoot(this.buildCache.getTypeConfig(fieldConfig.parentType)) || !argument || !fieldConfig.args[argument]) {
      throw new PothosSchemaError(
        `${String(fieldConfig.parentType)}.${fieldConfig.name} returns ${abstract.name}, which ${guarded.join(', ')} belong to: their scopes would go unchecked (entry-scopes.ts)`,
      );
    }
    // Each object is checked as the type its id names (nodes answers in the order of its ids).
    return (parent, args, context, info) => {
      const ids = (argument === 'ids' ? args[argument] : [args[argument]]) as ({ typename?: string } | null)[];
      return admittedAll(resolver(parent, args, context, info), (index) => checkedAtEntry.get(ids[index]?.typename ?? ''), context, info);
    };
  }
}

SchemaBuilder.registerPlugin('entryScopes', EntryScopesPlugin);
export const entryScopes = 'entryScopes' as const;
