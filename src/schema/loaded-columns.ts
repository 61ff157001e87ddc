// Two Pothos plugins, one on each side of the Prisma plugin, that let a field of a select-mode model
// that needs only columns of its row (`t.expose*`, or `select: { status: true, ... }` with a resolver
// over them) resolve straight off the row when the row carries them.
//
// Why: in select mode the Prisma plugin wraps every exposed column so that a row loaded without it
// can be loaded again. The wrapper looks the field's plan up by its response path (strings built
// per row, weak maps per path link) before reading `row.code`: about 3 µs a field, a third of what
// a work-queue page of 25 dossiers costs to execute, although our reads (ctx.sql, in the shape
// Pothos planned) always carry the columns asked for. A column on the row is the column's value
// whichever query loaded it, so the lookup can only matter when the column is missing, and then
// the Prisma plugin's wrapper still runs. The same holds for a resolver over several columns (a
// dossier's `overdue` from its status, due date and pause). Fields selecting relations, and fields
// of object type, keep the wrapper: their rows may need a nested plan.
//
// The same for a node's `id`: the relay plugin's globalID resolver is `async`, so every node of a
// page completed as a promise (about 1 µs and garbage per row, and its fields waited a microtask
// turn). When the type's id resolver answers synchronously, the global id is encoded at once, as
// the relay plugin encodes it (`encodeGlobalID`: base64 of "Type:id"; we set no custom encoder).
//
// And for a relation whose row the parent already carries, when everything asked of the related
// row is such a column (or its node id, or __typename): the related row is read off the parent, with
// no plan lookup for the relation either. A relation with arguments or a resolver of its own, or a
// selection holding anything else (another relation, a fragment), keeps the Prisma plugin, whose
// plan the fields beneath may need.
//
// Last, a field that is nothing but a property read (a column exposed under its own name with no
// scope, no argument and no plugin around it; or a field whose resolver is graphql-js' default) has
// its resolver removed from the built schema: graphql-jit then reads the property in line, with no
// call, no resolve info and no path objects (half of a page's garbage was those). Such a field of a
// select-mode model no longer loads its column when a row lacks it: every row handed to a model's
// fields comes from a query Pothos planned, which selects every column asked for.
//
// Order in the builder: plainFields, ScopeAuth, loadedColumns, Prisma, loadedColumnsInner, the rest. The inner
// plugin notes the resolver the Prisma plugin is about to wrap (with the plugins after it); the
// outer one calls it directly when the row has the column. Authorisation (ScopeAuth) stays outside.
import SchemaBuilder, { BasePlugin, isThenable, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { Kind, defaultFieldResolver, getNamedType, isObjectType, type FieldNode, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      plainFields: PlainFieldsPlugin<Types>;
      loadedColumns: LoadedColumnsPlugin<Types>;
      loadedColumnsInner: LoadedColumnsInnerPlugin<Types>;
    }
  }
}

type Resolver = GraphQLFieldResolver<unknown, object>;

/** What the Prisma plugin wraps, by field config: the inner plugin writes, the outer one reads. */
const unwrapped = new WeakMap<object, Resolver>();

/** By type name, the fields resolved straight off a row: over loaded columns, and node ids. */
const directFields = new Map<string, Set<string>>();

/** Whether a relation's selection (its field nodes, the same array for every row) asks only for direct fields. */
const onlyDirectFields = new WeakMap<readonly FieldNode[], boolean>();

function asksOnlyDirectFields(info: GraphQLResolveInfo): boolean {
  let known = onlyDirectFields.get(info.fieldNodes);
  if (known === undefined) {
    const direct = directFields.get(getNamedType(info.returnType).name);
    known = info.fieldNodes.every((node) =>
      (node.selectionSet?.selections ?? []).every(
        (selection) => selection.kind === Kind.FIELD && (selection.name.value === '__typename' || direct?.has(selection.name.value) === true),
      ),
    );
    onlyDirectFields.set(info.fieldNodes, known);
  }
  return known;
}

/** Pure: the relation a field resolves as is (`t.relation` with no arguments or resolver of its own), or null. */
export function plainRelation<Types extends SchemaTypes>(fieldConfig: PothosOutputFieldConfig<Types>): string | null {
  if (fieldConfig.kind !== 'PrismaObject' || Object.keys(fieldConfig.args).length) return null;
  const extensions = fieldConfig.extensions as { pothosPrismaRelationField?: { name: string }; pothosPrismaFallback?: unknown } | undefined;
  return extensions?.pothosPrismaRelationField && !extensions.pothosPrismaFallback ? extensions.pothosPrismaRelationField.name : null;
}

/**
 * Pure: the columns a field needs of its row, when that is all it needs (`t.expose*`, or a flat
 * `select` of columns with a resolver over them); null for anything else.
 */
export function loadedColumnsOf<Types extends SchemaTypes>(fieldConfig: PothosOutputFieldConfig<Types>): string[] | null {
  if (fieldConfig.kind !== 'PrismaObject') return null;
  const select = (fieldConfig.extensions as { pothosPrismaSelect?: unknown } | undefined)?.pothosPrismaSelect;
  if (!select || typeof select !== 'object') return null; // a function: a relation or a variant, planned per query
  const columns = Object.keys(select);
  if (!columns.length || columns.some((column) => (select as Record<string, unknown>)[column] !== true)) return null;
  const type = fieldConfig.type.kind === 'List' ? fieldConfig.type.type : fieldConfig.type;
  // An object-typed field may hand on a row that needs the plan beneath it.
  return type.kind === 'Object' || type.kind === 'Interface' || type.kind === 'Union' ? null : columns;
}

function carries(row: unknown, columns: string[]): row is Record<string, unknown> {
  if (typeof row !== 'object' || row === null) return false;
  for (const column of columns) if ((row as Record<string, unknown>)[column] === undefined) return false;
  return true;
}

/** An exposed column's wrapper whose inner resolver is graphql-js' default: a property read, if nothing wraps it. */
const plainReads = new WeakSet<Resolver>();
/** The fields found to be property reads only, whose resolvers the built schema drops: type name, field name. */
const propertyReads = new Map<string, Set<string>>();

export class LoadedColumnsInnerPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(resolver: Resolver, fieldConfig: PothosOutputFieldConfig<Types>): Resolver {
    if (loadedColumnsOf(fieldConfig) !== null || plainRelation(fieldConfig) !== null) unwrapped.set(fieldConfig, resolver);
    return resolver;
  }
}

export class LoadedColumnsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(resolver: Resolver, fieldConfig: PothosOutputFieldConfig<Types>): Resolver {
    const nodeId = this.nodeIdOf(fieldConfig);
    const columns = loadedColumnsOf(fieldConfig);
    if (nodeId || columns !== null) {
      const direct = directFields.get(fieldConfig.parentType) ?? new Set<string>();
      directFields.set(fieldConfig.parentType, direct.add(fieldConfig.name));
    }
    if (nodeId) {
      const { typeName, idOf } = nodeId;
      return (row, args, context, info) => {
        const id = idOf(row, args, context, info);
        return id === undefined || id === null || isThenable(id) ? resolver(row, args, context, info) : encodeGlobalID(typeName, String(id));
      };
    }
    const direct = unwrapped.get(fieldConfig);
    const relation = plainRelation(fieldConfig);
    if (!direct) return resolver;
    if (columns !== null) {
      const wrapper: Resolver = (row, args, context, info) => (carries(row, columns) ? direct(row, args, context, info) : resolver(row, args, context, info));
      const exposedAsItself = (fieldConfig.extensions as { pothosExposedField?: string } | undefined)?.pothosExposedField === fieldConfig.name;
      if (exposedAsItself && direct === defaultFieldResolver && !Object.keys(fieldConfig.args).length) plainReads.add(wrapper);
      return wrapper;
    }
    if (relation === null) return resolver;
    const loaded = [relation];
    return (row, args, context, info) =>
      carries(row, loaded) && asksOnlyDirectFields(info) ? direct(row, args, context, info) : resolver(row, args, context, info);
  }

  /** A node type's `id` field (relay plugin) and the type's own id resolver, or null. */
  private nodeIdOf(fieldConfig: PothosOutputFieldConfig<Types>): { typeName: string; idOf: Resolver } | null {
    if (fieldConfig.name !== 'id' || fieldConfig.type.kind !== 'Scalar') return null;
    if (this.builder.options.relay?.encodeGlobalID) return null; // ids encoded another way: leave them to the relay plugin
    const type = this.buildCache.getTypeConfig(fieldConfig.parentType);
    if (type.kind !== 'Object' || !type.extensions || !('pothosParseGlobalID' in type.extensions)) return null;
    const idOf = (type.pothosOptions as { id?: { resolve?: Resolver } }).id?.resolve;
    return idOf ? { typeName: type.name, idOf } : null;
  }
}

/** Outermost: sees each field's final resolver, and drops it from the schema when it is a property read. */
export class PlainFieldsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(resolver: Resolver, fieldConfig: PothosOutputFieldConfig<Types>): Resolver {
    const kind = this.buildCache.getTypeConfig(fieldConfig.parentType).kind;
    const rootField = kind === 'Query' || kind === 'Mutation' || kind === 'Subscription';
    if (!rootField && (resolver === defaultFieldResolver || plainReads.has(resolver))) {
      propertyReads.set(fieldConfig.parentType, (propertyReads.get(fieldConfig.parentType) ?? new Set()).add(fieldConfig.name));
    }
    return resolver;
  }

  override afterBuild(schema: GraphQLSchema) {
    for (const [type, fields] of propertyReads) {
      const built = schema.getType(type);
      if (!isObjectType(built)) continue;
      for (const field of fields) if (built.getFields()[field]) built.getFields()[field].resolve = undefined;
    }
    return schema;
  }
}

SchemaBuilder.registerPlugin('plainFields', PlainFieldsPlugin);
SchemaBuilder.registerPlugin('loadedColumns', LoadedColumnsPlugin);
SchemaBuilder.registerPlugin('loadedColumnsInner', LoadedColumnsInnerPlugin);
export const plainFields = 'plainFields' as const;
export const loadedColumns = 'loadedColumns' as const;
export const loadedColumnsInner = 'loadedColumnsInner' as const;
