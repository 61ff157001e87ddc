// Limits an operation must meet before it runs, the same over HTTP and WebSocket (server.ts): checked
// on the parsed and validated document before its unit of work begins, so a refused operation opens
// no transaction. Tokens are counted by graphql-js' lexer before parsing; the document's shape (depth,
// aliases, directives) by graphql-armor's rules; its cost by @pothos/plugin-complexity from the
// schema's own fields, with `fieldCost` below: a connection's selection times its page size, a list's
// times an estimate, so nested lists multiply. Anonymous callers get stricter limits than signed-in ones.
import {
  GraphQLError,
  GraphQLInt,
  GraphQLString,
  Lexer,
  Source,
  TokenKind,
  getNamedType,
  getNullableType,
  getOperationAST,
  isListType,
  isObjectType,
  validate,
  valueFromAST,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { createComplexityRule } from '@pothos/plugin-complexity';
import { LRUCache } from 'lru-cache';
import type { z } from 'zod';
import type { CallerKind } from '../context/caller';
import { AppError, ErrorCode, invalidInput, type FieldError } from '../errors';
import { DEFAULT_PAGE_SIZE, type PageSize } from '../kernel/field-limits';
import type { OPERATION_LIMIT_SETTINGS } from './operation-limits.settings';

type Settings = { [Key in keyof typeof OPERATION_LIMIT_SETTINGS]: z.infer<(typeof OPERATION_LIMIT_SETTINGS)[Key]> };

export interface OperationLimits {
  tokens: number;
  depth: number;
  aliases: number;
  directives: number;
  cost: number;
}

export function limitsFor(settings: Settings, caller: { kind: CallerKind }): OperationLimits {
  return caller.kind === 'anonymous'
    ? {
        tokens: settings.QUERY_MAX_TOKENS_ANONYMOUS,
        depth: settings.QUERY_MAX_DEPTH_ANONYMOUS,
        aliases: settings.QUERY_MAX_ALIASES_ANONYMOUS,
        directives: settings.QUERY_MAX_DIRECTIVES_ANONYMOUS,
        cost: settings.QUERY_MAX_COST_ANONYMOUS,
      }
    : {
        tokens: settings.QUERY_MAX_TOKENS,
        depth: settings.QUERY_MAX_DEPTH,
        aliases: settings.QUERY_MAX_ALIASES,
        directives: settings.QUERY_MAX_DIRECTIVES,
        cost: settings.QUERY_MAX_COST,
      };
}

// ---------------------------------------------------------------- the cost model

/** What an unbounded list (an agency's children, a dossier's log) is assumed to hold. */
export const LIST_ESTIMATE = 10;

/** The page size a connection field declares (kernel/field-limits), Pothos' default for one that does not, null for other fields. */
export function pageSizeOf(field: GraphQLField<unknown, any>): PageSize | null {
  const declared = field.extensions?.pageSize as PageSize | undefined;
  if (declared) return declared;
  const type = getNamedType(field.type);
  const isConnection = field.args.some((arg) => arg.name === 'first') && isObjectType(type) && 'edges' in type.getFields();
  return isConnection ? DEFAULT_PAGE_SIZE : null;
}

const pageArgument = (value: unknown) => (typeof value === 'number' ? value : null);

/**
 * A field's cost for @pothos/plugin-complexity: `field` for itself, and its selection's cost times
 * `multiplier`. A connection multiplies by the page it asks for; its edges, pageInfo and totalCount
 * add nothing more (the page is already counted once); a list by the length of a list argument
 * (`nodes(ids)`) or else LIST_ESTIMATE.
 */
export function fieldCost<Context>(args: Record<string, unknown>, _ctx: Context, field: GraphQLField<unknown, Context>): { field: number; multiplier: number } {
  const page = pageSizeOf(field);
  if (page) return { field: 1, multiplier: Math.max(0, pageArgument(args.first) ?? pageArgument(args.last) ?? page.defaultSize) };
  const typeName = getNamedType(field.type).name;
  if ((field.name === 'pageInfo' && typeName === 'PageInfo') || field.name === 'totalCount') return { field: 0, multiplier: 0 };
  if (field.name === 'edges' && typeName.endsWith('Edge')) return { field: 0, multiplier: 1 };
  if (isListType(getNullableType(field.type))) {
    const listArgument = Object.values(args).find(Array.isArray);
    return { field: 1, multiplier: listArgument ? Math.max(1, listArgument.length) : LIST_ESTIMATE };
  }
  return { field: 1, multiplier: 1 };
}

// ---------------------------------------------------------------- checks

const LIMIT_MESSAGES: Record<keyof OperationLimits, (max: number, found: number) => string> = {
  tokens: (max) => `Truy vấn quá dài: vượt quá ${max} ký hiệu (token).`,
  depth: (max, found) => `Truy vấn lồng quá sâu: ${found} tầng, tối đa ${max} tầng.`,
  aliases: (max, found) => `Truy vấn dùng quá nhiều bí danh (alias): ${found}, tối đa ${max}.`,
  directives: (max, found) => `Truy vấn dùng quá nhiều chỉ thị (directive): ${found}, tối đa ${max}.`,
  cost: (max, found) =>
    `Truy vấn quá tốn kém: chi phí ước tính ${found}, tối đa ${max}. Hãy giảm số mục mỗi trang (first/last) hoặc số danh sách lồng nhau.`,
};

export const tooComplex = (limit: keyof OperationLimits, max: number, found: number) =>
  new AppError(ErrorCode.QUERY_TOO_COMPLEX, LIMIT_MESSAGES[limit](max, found), { limit: { name: limit, max, found } });

/** Tokens of `query`, counting stops past `max`; a lexical error stops it too (parsing reports that). */
export function countTokens(query: string, max: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (count <= max && lexer.advance().kind !== TokenKind.EOF) count++;
  } catch {
    // Not GraphQL: the parser says why.
  }
  return count;
}

/** Checked on the query text before it is parsed (graphql-js parses the whole text at once). */
export function tokenLimitError(query: unknown, limits: OperationLimits): AppError | null {
  if (typeof query !== 'string') return null;
  const found = countTokens(query, limits.tokens);
  return found > limits.tokens ? tooComplex('tokens', limits.tokens, found) : null;
}

/** A list argument's cap, declared in a field's extensions (`_entities`' representations, src/schema/index.ts). */
export interface ListArgumentCap {
  argument: string;
  max: number;
}

/** Representations one `_entities` takes: more than a gateway's page of references, far fewer than a body can carry. */
export const REPRESENTATIONS_MAX = 500;

/**
 * `_entities` runs alone in its operation, as a gateway sends it: an entity of another province is
 * read in a transaction of its own (modules/directory/agency.schema.ts), and nothing else should
 * share an operation whose answers come from several provinces.
 */
function entitiesAloneRule(found: FieldError[]): ValidationRule {
  return (context) => {
    const rootFields = new Set<string>();
    const queryType = context.getSchema().getQueryType();
    return {
      Field(node) {
        if (context.getParentType() === queryType && node.name.value !== '__typename') rootFields.add(node.alias?.value ?? node.name.value);
      },
      Document: {
        leave() {
          if (rootFields.has('_entities') && rootFields.size > 1) {
            found.push({ field: '_entities', message: '_entities phải là trường duy nhất của thao tác (như gateway gửi).' });
          }
        },
      },
    };
  };
}

/** A rule that finds `first`/`last` below 0 or above the connection's cap, with the variables' values. */
function pageSizeRule(variables: Record<string, unknown>, found: FieldError[]): ValidationRule {
  return (context) => ({
    Field(node) {
      const field = context.getFieldDef();
      const page = field && pageSizeOf(field);
      if (!page) return;
      for (const argument of node.arguments ?? []) {
        const name = argument.name.value;
        if (name !== 'first' && name !== 'last') continue;
        const value = valueFromAST(argument.value, GraphQLInt, variables);
        if (typeof value !== 'number') continue;
        if (value < 0) found.push({ field: name, message: `Tham số ${name} của ${field.name} phải là số nguyên không âm (nhận được ${value}).` });
        else if (value > page.maxSize) {
          found.push({ field: name, message: `${field.name} trả tối đa ${page.maxSize} mục mỗi trang: ${name} = ${value} vượt quá giới hạn.` });
        }
      }
    },
  });
}

/** A rule that finds a list argument longer than its field's declared cap, with the variables' values. */
function listArgumentRule(variables: Record<string, unknown>, found: FieldError[]): ValidationRule {
  return (context) => ({
    Field(node) {
      const field = context.getFieldDef();
      const cap = field?.extensions?.listArgumentCap as ListArgumentCap | undefined;
      if (!field || !cap) return;
      const argument = node.arguments?.find((arg) => arg.name.value === cap.argument);
      const definition = field.args.find((arg) => arg.name === cap.argument);
      if (!argument || !definition) return;
      const value: unknown = valueFromAST(argument.value, definition.type, variables);
      if (Array.isArray(value) && value.length > cap.max) {
        found.push({ field: cap.argument, message: `${field.name} nhận tối đa ${cap.max} mục trong ${cap.argument} (nhận được ${value.length}).` });
      }
    },
  });
}

export interface OperationToCheck {
  schema: GraphQLSchema;
  /** Parsed and validated against the schema. */
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  /** The operation's context, which field costs may read. */
  context: object;
}

export interface Measures {
  depth: number;
  aliases: number;
  directives: number;
  cost: number;
  /** `first`/`last` below 0 or above a connection's cap; a list argument over its cap; `_entities` beside other fields. */
  pageErrors: FieldError[];
  /** Why the measures could not be taken (variables that do not coerce, an argument Pothos cannot map). */
  failure: GraphQLError | null;
}

/** Measures every operation of the document (the largest counts) in one pass over it. */
export function measureOperation({ schema, document, operationName, variables, context }: OperationToCheck): Measures {
  const measures: Measures = { depth: 0, aliases: 0, directives: 0, cost: 0, pageErrors: [], failure: null };
  const operation = getOperationAST(document, operationName);
  const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], variables ?? {}, { maxErrors: 1 });
  if (coerced.errors) return { ...measures, failure: new AppError(ErrorCode.BAD_USER_INPUT, coerced.errors[0].message) };
  const count = (name: 'depth' | 'aliases' | 'directives') => ({
    n: Number.MAX_SAFE_INTEGER, // armor only counts; the comparison and the message are ours
    propagateOnRejection: false,
    onAccept: [(_context: unknown, details: { n: number }) => void (measures[name] = Math.max(measures[name], details.n))],
  });
  const coercedValues = coerced.coerced;
  const rules = [
    maxDepthRule(count('depth')),
    maxAliasesRule(count('aliases')),
    maxDirectivesRule(count('directives')),
    pageSizeRule(coercedValues, measures.pageErrors),
    listArgumentRule(coercedValues, measures.pageErrors),
    entitiesAloneRule(measures.pageErrors),
    createComplexityRule({
      context,
      variableValues: variables ?? {},
      operationName,
      onResult: (result) => void (measures.cost = Math.max(measures.cost, result.complexity)),
    }),
  ];
  let errors: readonly GraphQLError[];
  try {
    errors = validate(schema, document, rules);
  } catch (error) {
    // A field's arguments refused while costing it (an over-long string, a malformed ID): the
    // client's error, answered as such, before anything runs.
    if (error instanceof GraphQLError) return { ...measures, failure: error };
    throw error;
  }
  if (errors.length) {
    const [first] = errors;
    measures.failure = first.name === 'PothosValidationError' || first instanceof AppError ? first : new AppError(ErrorCode.BAD_USER_INPUT, first.message);
  }
  return measures;
}

/** An accepted operation's measures, per document and variables: they depend on nothing else. */
const MEASURED_PER_DOCUMENT = 100;
/** Variables longer than this as JSON are measured every time rather than kept as a key. */
const MEASURED_KEY_MAX = 4096;
const measured = new WeakMap<DocumentNode, LRUCache<string, Measures>>();

/**
 * measureOperation, kept for a document Apollo reuses (its parsed-document cache hands the same
 * object for the same text): a client sending the same query, with the same variables, is measured
 * once. Only measures without an error are kept; the limits are compared anew for each caller.
 */
function measureOnce(operation: OperationToCheck): Measures {
  const key = `${operation.operationName ?? ''}\n${JSON.stringify(operation.variables ?? {})}`;
  if (key.length > MEASURED_KEY_MAX) return measureOperation(operation);
  let kept = measured.get(operation.document);
  const hit = kept?.get(key);
  if (hit) return hit;
  const measures = measureOperation(operation);
  if (measures.failure || measures.pageErrors.length) return measures;
  if (!kept) measured.set(operation.document, (kept = new LRUCache<string, Measures>({ max: MEASURED_PER_DOCUMENT })));
  kept.set(key, measures);
  return measures;
}

/**
 * The error that refuses this operation before it runs, or null. Page sizes out of range are a
 * BAD_USER_INPUT naming each field and its cap; anything over a limit is QUERY_TOO_COMPLEX with
 * extensions.limit { name, max, found }.
 */
export function operationLimitError(operation: OperationToCheck & { limits: OperationLimits }): GraphQLError | null {
  if (!getOperationAST(operation.document, operation.operationName)) return null; // Apollo and graphql-ws answer that
  const measures = measureOnce(operation);
  if (measures.pageErrors.length) return invalidInput(measures.pageErrors);
  for (const name of ['depth', 'aliases', 'directives', 'cost'] as const) {
    if (measures[name] > operation.limits[name]) return tooComplex(name, operation.limits[name], measures[name]);
  }
  // Whatever kept the cost from being computed refuses the operation: nothing runs unmeasured.
  return measures.failure;
}

// ---------------------------------------------------------------- live subscriptions

/**
 * The receipt a subscription follows, when its root field counts subscriptions by an argument
 * (kernel/field-limits `subscriptionsCountedBy`): field, province and that argument's value.
 */
export function subscriptionTarget(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown> | null | undefined, provinceId: string | null): string | null {
  if (operation.operation !== 'subscription') return null;
  const fields = schema.getSubscriptionType()?.getFields() ?? {};
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== 'Field') continue;
    const countedBy = fields[selection.name.value]?.extensions?.subscriptionsCountedBy;
    const argument = selection.arguments?.find((arg) => arg.name.value === countedBy);
    if (!argument) continue;
    const value = valueFromAST(argument.value, GraphQLString, variables ?? {});
    if (typeof value === 'string') return `${selection.name.value}:${provinceId ?? '-'}:${value.trim().toUpperCase()}`;
  }
  return null;
}

/** Live subscriptions held per socket, and per receipt across this process's sockets. */
export class SubscriptionSlots {
  private readonly bySocket = new WeakMap<object, Map<string, string | null>>();
  private readonly byTarget = new Map<string, number>();

  constructor(private readonly limits: { perSocket: number; perTarget: number }) {}

  /** Takes a slot for operation `id` of `socket`, or answers why not. */
  take(socket: object, id: string, target: string | null): AppError | null {
    const held = this.bySocket.get(socket) ?? new Map<string, string | null>();
    if (held.size >= this.limits.perSocket) {
      return new AppError(ErrorCode.TOO_MANY_SUBSCRIPTIONS, `Kết nối này đã có ${this.limits.perSocket} đăng ký theo dõi đang mở; hãy đóng bớt trước khi mở thêm.`, {
        limit: { name: 'subscriptionsPerSocket', max: this.limits.perSocket },
      });
    }
    if (target && (this.byTarget.get(target) ?? 0) >= this.limits.perTarget) {
      return new AppError(ErrorCode.TOO_MANY_SUBSCRIPTIONS, `Hồ sơ này đã có ${this.limits.perTarget} đăng ký theo dõi trực tiếp đang mở; hãy đóng bớt trước khi mở thêm.`, {
        limit: { name: 'subscriptionsPerReceipt', max: this.limits.perTarget },
      });
    }
    held.set(id, target);
    this.bySocket.set(socket, held);
    if (target) this.byTarget.set(target, (this.byTarget.get(target) ?? 0) + 1);
    return null;
  }

  /** The operation ended (completed, failed, or its socket closed); releasing twice is harmless. */
  release(socket: object, id: string) {
    const held = this.bySocket.get(socket);
    if (!held?.has(id)) return;
    const target = held.get(id);
    held.delete(id);
    if (!target) return;
    const left = (this.byTarget.get(target) ?? 1) - 1;
    if (left > 0) this.byTarget.set(target, left);
    else this.byTarget.delete(target);
  }

  releaseAll(socket: object) {
    for (const id of [...(this.bySocket.get(socket)?.keys() ?? [])]) this.release(socket, id);
  }

  /** Live subscriptions of a receipt in this process (for tests). */
  heldBy(target: string) {
    return this.byTarget.get(target) ?? 0;
  }
}
