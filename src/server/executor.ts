// How an operation is executed, over HTTP and WebSocket alike: graphql-jit compiles each operation
// of a document once into a function, and every later request with that document runs the function.
//
// Why: graphql-js walks the document for every request and every row (collecting fields, coercing
// arguments, completing values by type), a fixed cost per field of every row that graphql-jit pays
// once, when it compiles. Measured on a work-queue page of 25 dossiers, execution cost 0.2 ms less
// CPU (BENCHMARKS.md). Resolvers, Pothos' plugins, errors and their paths are the same.
//
// Compiled functions are kept per document object: Apollo hands the same object for the same query
// text (its parsed-document cache), so a query sent again is not compiled again. A WebSocket
// operation is parsed when it is subscribed, so its events reuse its compiled function. Compiled
// code is far larger than its document, so only the last COMPILED_KEPT documents keep theirs: a
// client sending ever new queries costs a compilation each (bounded by the operation limits, as
// parsing and validating are), never unbounded memory.
import { GraphQLError, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import type { ApolloServerOptionsWithGateway } from '@apollo/server';

type GatewayInterface = ApolloServerOptionsWithGateway<never>['gateway'];

/** Documents whose compiled operations are kept: a deployment's clients send a few hundred distinct queries at most. */
export const COMPILED_KEPT = 300;

/** The compiled operations of a document, by operation name ('' for the only one). */
const compiledOf = new LRUCache<DocumentNode, Map<string, CompiledQuery | ExecutionResult>>({ max: COMPILED_KEPT });

/** How many documents have their compiled operations kept (for tests and metrics). */
export const compiledDocuments = () => compiledOf.size;

/** The document's operation compiled for `schema`, or the errors that prevent it (an unknown operation name). */
function compiled(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): CompiledQuery | ExecutionResult {
  let operations = compiledOf.get(document);
  if (!operations) compiledOf.set(document, (operations = new Map()));
  const name = operationName ?? '';
  let found = operations.get(name);
  if (!found) operations.set(name, (found = compileQuery(schema, document, operationName ?? undefined)));
  return found;
}

/**
 * graphql-jit's errors are its own GraphQLError, without the `extensions` object graphql-js always
 * gives (Apollo reads `extensions.code` of every error): the same error as graphql-js would make it.
 */
function asGraphQLJsError(error: GraphQLError): GraphQLError {
  const made = new GraphQLError(error.message, { path: error.path, originalError: error.originalError, extensions: error.extensions });
  return Object.assign(made, { locations: error.locations });
}

const withGraphQLJsErrors = (result: ExecutionResult): ExecutionResult =>
  result.errors?.length ? { ...result, errors: result.errors.map(asGraphQLJsError) } : result;

/** Executes a query or mutation (or a subscription's event, with the event as `rootValue`). */
export function executeOperation(args: ExecutionArgs): Promise<ExecutionResult> | ExecutionResult {
  const operation = compiled(args.schema, args.document, args.operationName);
  if (!isCompiledQuery(operation)) return withGraphQLJsErrors(operation);
  const result = operation.query(args.rootValue, args.contextValue, args.variableValues ?? {});
  return isPromise(result) ? result.then(withGraphQLJsErrors) : withGraphQLJsErrors(result);
}

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> => typeof (value as { then?: unknown })?.then === 'function';

/**
 * Apollo Server's one seam for an executor of our own is its gateway interface: a "gateway" that
 * serves `schema` and executes with executeOperation. Apollo still parses, validates, caches
 * documents, runs its plugins and formats the answer.
 */
export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  return {
    async load() {
      return { executor: async (request) => executeOperation({ schema, document: request.document, operationName: request.operationName, variableValues: request.request.variables, contextValue: request.context }) };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async stop() {},
  };
}
