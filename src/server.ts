// HTTP (Apollo Server: POST /graphql straight to it, the rest through express) and WebSocket
// (graphql-ws) on one port and one path, /graphql.
// Both run an operation the same way: identify the caller, create its context, begin the unit of
// work once the operation is known to execute, end it before the answer leaves (a failed commit
// replaces the answer), and mask and log errors through the same functions.
import http from 'node:http';
import express from 'express';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import {
  GraphQLError,
  createSourceEventStream,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
} from 'graphql';
import type { Config } from './config';
import type { Database } from './db/database';
import { databaseFailure } from './db/database-errors';
import { readMigrations } from './db/migrator';
import { createContext, requestIdOf, type Platform, type WorkContext } from './context/context';
import { identifyCaller, type RequestCredentials } from './context/identify';
import { clientAddressOf, compileTrustProxy } from './server/client-address';
import { createProvinceDirectory } from './context/province-directory';
import { createTokenVerifier } from './context/token';
import { AppError, ErrorCode, clientErrorOf, httpStatusOf, isRetryable, maskedError, toClientError, withRequestId } from './errors';
import { startModules } from './kernel/module';
import type { Logger } from './logger';
import { schema } from './schema';
import { MODULES } from './modules';
import { queryPageRoutes } from './server/query-page/routes';
import { fileRoutes } from './modules/files/file.routes';
import { exchangeCallbackRoutes } from './modules/documents/exchange-callback';
import { httpEdge, httpPolicy, installFallbacks, installHttpDefaults, shownError, shownErrors, validationRulesOf, type Middleware } from './server/http-defaults';
import { graphqlPost, isGraphQLPost } from './server/graphql-http';
import { Metrics, metricsPlugin, metricsRoute, syncBacklogOf } from './server/metrics';
import { SubscriptionSlots, limitsFor, operationLimitError, subscriptionTarget, tokenLimitError } from './server/operation-limits';
import { auditOperation } from './modules/audit/audit-operation';
import { compiledExecution, executeOperation } from './server/executor';

export interface AppServer {
  httpServer: http.Server;
  port: number;
  platform: Platform;
  /** Other limits count their refusals here: metrics.countRefusal(kind, province). */
  metrics: Metrics;
  stop(): Promise<void>;
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The operation's text, from the JSON body (POST) or the query string (GET), before Apollo parses it. */
function queryTextOf(req: http.IncomingMessage): unknown {
  const body = (req as { body?: { query?: unknown } }).body;
  if (body && typeof body === 'object' && 'query' in body) return body.query;
  const url = req.url ?? '';
  const search = url.indexOf('?');
  return search < 0 ? undefined : (new URLSearchParams(url.slice(search + 1)).get('query') ?? undefined);
}

// ---------------------------------------------------------------- shared by HTTP and WebSocket

/** Introspection and __typename read no table: such an operation opens no transaction. */
const touchesNoTable = (operation: OperationDefinitionNode) =>
  operation.selectionSet.selections.every((selection) => selection.kind === 'Field' && selection.name.value.startsWith('__'));

/** Turns whatever was thrown into a GraphQLError, with database failures given their client meaning. */
function asGraphQLError(error: unknown): GraphQLError {
  const meant = databaseFailure(error);
  if (meant instanceof GraphQLError) return meant;
  return new GraphQLError(meant instanceof Error ? meant.message : String(meant), { originalError: meant instanceof Error ? meant : undefined });
}

/** Logs what is a fault of ours; the client sees only the request id of it. */
function logFaults(ctx: { log: Logger }, errors: readonly GraphQLError[]) {
  for (const error of errors) {
    if (!clientErrorOf(withDatabaseMeaning(error))) ctx.log.error({ err: error.originalError ?? error }, 'internal error');
  }
}

/** The error with a database failure behind it replaced by what that failure means to the client. */
function withDatabaseMeaning(error: GraphQLError): GraphQLError {
  const meant = error.originalError ? databaseFailure(error.originalError) : error;
  return meant instanceof AppError && meant !== error.originalError
    ? new GraphQLError(meant.message, { nodes: error.nodes, path: error.path, extensions: meant.extensions })
    : error;
}

/** The client's view of the errors: database failures mapped, internal ones masked to the request id. */
function clientErrors(errors: readonly GraphQLError[], requestId: string): GraphQLFormattedError[] {
  return errors.map((error) => toClientError(withDatabaseMeaning(error), requestId));
}

/** The same errors as GraphQLError objects, which graphql-ws serialises itself. */
const wsErrors = (errors: readonly GraphQLError[], requestId: string): GraphQLError[] =>
  clientErrors(errors, requestId).map((formatted) => new GraphQLError(formatted.message, { path: formatted.path, extensions: formatted.extensions }));

/**
 * Ends the operation's unit of work: commit when it had no error, else roll back. A commit that fails
 * turns the answer into that failure: the client is never told "done" for what was not written.
 */
async function settle(ctx: WorkContext, hadErrors: boolean): Promise<GraphQLError | null> {
  try {
    await ctx.work.end(hadErrors ? 'rollback' : 'commit');
    return null;
  } catch (error) {
    const failure = asGraphQLError(error);
    logFaults(ctx, [failure]);
    return failure;
  }
}

/** Identifies the caller; a failure (bad token, unknown province, database down) is a coded client error. */
async function contextFor(platform: Platform, deps: Parameters<typeof identifyCaller>[0], credentials: RequestCredentials, extraLog?: Record<string, unknown>) {
  const requestId = requestIdOf(credentials.requestId);
  try {
    const caller = await identifyCaller(deps, credentials);
    const ctx = createContext(platform, { requestId, caller, clientAddress: credentials.clientAddress ?? 'unknown' }, extraLog);
    await platform.services.fairShare.admit(ctx); // rate limits and quotas (src/server/fair-share.ts)
    return ctx;
  } catch (error) {
    const failure = asGraphQLError(error);
    if (!clientErrorOf(failure)) platform.logger.error({ err: error, requestId }, 'identifying the caller failed');
    else if (failure.extensions.code === ErrorCode.SERVICE_UNAVAILABLE) platform.logger.warn({ err: error, requestId }, 'database unreachable');
    throw Object.assign(failure, { requestId });
  }
}

const retryAfterOf = (error: GraphQLFormattedError | undefined) =>
  error && isRetryable(error.extensions?.code) ? String(error.extensions?.retryAfterSeconds ?? 1) : null;

// ---------------------------------------------------------------- HTTP

// Begins the unit of work once Apollo has parsed and validated the operation (a request it rejects
// costs no transaction), ends it before the answer is sent, masks and logs.
const operationPlugin: ApolloServerPlugin<WorkContext> = {
  async requestDidStart({ contextValue: ctx }) {
    const startedAt = performance.now();
    return {
      async didResolveOperation({ operation, document, request, schema }) {
        // A subscription needs a socket to deliver its events: over HTTP it is the client's mistake.
        if (operation?.operation === 'subscription') {
          throw new AppError(ErrorCode.BAD_REQUEST, 'Đăng ký theo dõi (subscription) chỉ dùng qua WebSocket tại cùng địa chỉ /graphql.');
        }
        // Limits come first: a refused operation opens no transaction.
        const refused = operationLimitError({ schema, document, operationName: request.operationName, variables: request.variables, context: ctx, limits: limitsFor(ctx.platform.config, ctx.caller) });
        if (refused) throw refused;
        if (operation && !touchesNoTable(operation)) {
          await ctx.platform.services.fairShare.enter(ctx); // the province's share of connections
          await ctx.work.begin().catch((error: unknown) => Promise.reject(asGraphQLError(error)));
        }
      },
      async didEncounterErrors({ errors }) {
        logFaults(ctx, errors);
      },
      async willSendResponse({ response, operationName, errors, operation, document, request }) {
        const data = response.body.kind === 'single' ? response.body.singleResult.data : undefined;
        auditOperation(ctx, { schema, document, operation, variables: request.variables, data });
        const failure = await settle(ctx, Boolean(errors?.length));
        ctx.platform.services.fairShare.leave(ctx);
        if (response.body.kind === 'single') {
          const result = response.body.singleResult;
          if (failure) {
            response.body.singleResult = { errors: clientErrors([failure], ctx.requestId) };
          } else if (result.errors) {
            result.errors = result.errors.map((error) =>
              error.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR ? maskedError(ctx.requestId) : withRequestId(error, ctx.requestId),
            );
          }
          const final = response.body.singleResult;
          // An operation that failed as a whole answers the status of its first error's code.
          if (final.errors?.length && (final.data === null || final.data === undefined)) {
            response.http.status = httpStatusOf(final.errors[0].extensions?.code);
            const retryAfter = retryAfterOf(final.errors[0]);
            if (retryAfter) response.http.headers.set('retry-after', retryAfter);
          }
        }
        response.http.headers.set('x-request-id', ctx.requestId);
        response.http.headers.set('cache-control', 'no-store'); // answers depend on the caller
        ctx.log.info(
          { operationName: operationName ?? null, durationMs: Math.round(performance.now() - startedAt), errors: errors?.length ?? 0, commitFailed: failure !== null },
          'graphql operation',
        );
      },
    };
  },
};

/** Apollo answers a failed context with the error's extensions.http: give it the code's status. */
function asContextFailure(error: unknown): GraphQLError {
  const failure = error instanceof GraphQLError ? error : asGraphQLError(error);
  const requestId = (error as { requestId?: string }).requestId ?? '';
  const formatted = toClientError(failure, requestId);
  const headers = new HeaderMap([['x-request-id', requestId], ['cache-control', 'no-store']]);
  const retryAfter = retryAfterOf(formatted);
  if (retryAfter) headers.set('retry-after', retryAfter);
  return new GraphQLError(formatted.message, {
    extensions: { ...formatted.extensions, http: { status: httpStatusOf(formatted.extensions?.code), headers } },
  });
}

// ---------------------------------------------------------------- WebSocket

/** Maps each event of `source` through `map`; ending the result ends the source at once. */
function mapEvents<In, Out>(source: AsyncIterator<In>, map: (event: In) => Promise<Out>): AsyncGenerator<Out> {
  const iterator: AsyncGenerator<Out> = {
    async next() {
      const step = await source.next();
      return step.done ? { value: undefined, done: true } : { value: await map(step.value), done: false };
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    async throw(error) {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async [Symbol.asyncDispose]() {
      await source.return?.();
    },
  };
  return iterator;
}

/** Executes a query or mutation, or one subscription event, as one unit of work of `ctx`. */
async function executeUnit(args: ExecutionArgs, ctx: WorkContext): Promise<ExecutionResult> {
  try {
    await ctx.platform.services.fairShare.enter(ctx, { patient: args.rootValue !== undefined }); // an event: wait, do not drop it
    await ctx.work.begin();
  } catch (error) {
    ctx.platform.services.fairShare.leave(ctx);
    return { errors: wsErrors([asGraphQLError(error)], ctx.requestId) };
  }
  const result = await executeOperation({ ...args, contextValue: ctx });
  const errors = result.errors ?? [];
  logFaults(ctx, errors);
  auditOperation(ctx, { schema: args.schema, document: args.document, operation: getOperationAST(args.document, args.operationName), variables: args.variableValues, data: result.data });
  const failure = await settle(ctx, errors.length > 0);
  ctx.platform.services.fairShare.leave(ctx);
  if (failure) return { errors: wsErrors([failure], ctx.requestId) };
  return errors.length ? { ...result, errors: wsErrors(errors, ctx.requestId) } : result;
}

// ---------------------------------------------------------------- the server

export async function startServer(options: { config: Config; database: Database; logger: Logger; port?: number; clock?: () => Date }): Promise<AppServer> {
  const { config, database, logger } = options;
  const provinces = createProvinceDirectory(database);
  const modules = await startModules(MODULES, { database, config, logger });
  const platform: Platform = { database, config, provinces, services: modules.services, logger, clock: options.clock ?? (() => new Date()), shared: new Map() };
  const identifyDeps = { provinces, verifyToken: createTokenVerifier(config) };
  const migrationNames = readMigrations().map((migration) => migration.name);
  // What production hides, and the metrics: see src/server/.
  const policy = httpPolicy(config);
  const metrics = new Metrics({ pool: database.poolStats, syncBacklog: syncBacklogOf(platform), logger });

  const app = express();
  // Whose X-Forwarded-For to believe for the client's address (rate limits): see README.
  app.set('trust proxy', config.TRUST_PROXY);
  const edge = httpEdge({ config, provinces, logger });
  installHttpDefaults(app, edge);
  const trustProxy = compileTrustProxy(config.TRUST_PROXY);
  const refusal = { logger, onRefused: (code: ErrorCode) => metrics.countTransportError(code) };
  // POST /graphql goes straight to Apollo (server/graphql-http.ts); everything else through express.
  let postGraphQL: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | null = null;
  const httpServer = http.createServer((req, res) => (postGraphQL && isGraphQLPost(req) ? postGraphQL(req, res) : app(req, res)));

  // The HTTP body limit holds for a WebSocket message too: ws closes the socket with 1009 beyond it.
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: config.MAX_REQUEST_BYTES });
  const subscriptionSlots = new SubscriptionSlots({ perSocket: config.SUBSCRIPTIONS_PER_SOCKET, perTarget: config.SUBSCRIPTIONS_PER_RECEIPT });
  const wsCleanup = useServer<Record<string, unknown> | undefined>(
    {
      // Every operation is prepared here, so that a bad token or a bad document fails that operation
      // with a coded error and leaves the socket open for the others.
      onSubscribe: async (socket, id, payload) => {
        const params = socket.connectionParams ?? {};
        let ctx: WorkContext;
        try {
          ctx = await contextFor(
            platform,
            identifyDeps,
            {
              authorization: typeof params.authorization === 'string' ? params.authorization : undefined,
              province: typeof params.province === 'string' ? params.province : undefined,
              host: header(socket.extra.request.headers.host),
              clientAddress: clientAddressOf(socket.extra.request, trustProxy),
            },
            { operationId: id },
          );
        } catch (error) {
          const formatted = toClientError(asGraphQLError(error), (error as { requestId?: string }).requestId ?? '');
          return [new GraphQLError(formatted.message, { extensions: formatted.extensions })];
        }
        const limits = limitsFor(config, ctx.caller);
        const tooLong = tokenLimitError(payload.query, limits);
        if (tooLong) return wsErrors([tooLong], ctx.requestId);
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Truy vấn không hợp lệ.')];
        }
        const invalid = validate(schema, document, [...specifiedRules, ...validationRulesOf(policy)]);
        if (invalid.length) return invalid;
        const refused = operationLimitError({ schema, document, operationName: payload.operationName, variables: payload.variables, context: ctx, limits });
        if (refused) return wsErrors([refused], ctx.requestId);
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation === 'subscription') {
          const full = subscriptionSlots.take(socket, id, subscriptionTarget(schema, operation, payload.variables, ctx.province?.id ?? null));
          if (full) return wsErrors([full], ctx.requestId);
        }
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue: ctx };
      },
      execute: metrics.timed((args) => executeUnit(args, args.contextValue as WorkContext)),
      onComplete: (socket, id) => subscriptionSlots.release(socket, id),
      onClose: (socket) => subscriptionSlots.releaseAll(socket),
      // The subscribe step (checking a tracking secret, finding the caller's agency) is one unit of
      // work, and so is each event: a subscription may live for hours and holds no transaction.
      subscribe: metrics.timed(async (args) => {
        const base = args.contextValue as WorkContext;
        const fresh = () => createContext(platform, base, { subscription: true });
        const ctx = fresh();
        let source: Awaited<ReturnType<typeof createSourceEventStream>>;
        try {
          await ctx.work.begin();
          source = await createSourceEventStream({ ...args, contextValue: ctx });
        } catch (error) {
          const failure = await settle(ctx, true);
          return { errors: wsErrors([failure ?? asGraphQLError(error)], ctx.requestId) };
        }
        if (!(Symbol.asyncIterator in source)) {
          logFaults(ctx, source.errors ?? []);
          const failure = await settle(ctx, true);
          return { errors: wsErrors(failure ? [failure] : (source.errors ?? []), ctx.requestId) };
        }
        const failure = await settle(ctx, false);
        if (failure) {
          await (source as AsyncGenerator).return?.(undefined);
          return { errors: wsErrors([failure], ctx.requestId) };
        }
        return mapEvents(source as AsyncGenerator, (event) => executeUnit({ ...args, rootValue: event }, fresh()));
      }),
      // As HTTP's formatError: suggestions hidden unless configured on; refused operations counted.
      onError: (_socket, _id, payload, errors) => {
        metrics.observeOperation({ transport: 'websocket', operationName: payload.operationName, province: null, errors });
        return shownErrors(policy, errors);
      },
      onNext: (_socket, _id, _payload, _args, result) => (result.errors ? { ...result, errors: shownErrors(policy, result.errors) } : undefined),
    },
    wsServer,
  );

  const apollo = new ApolloServer<WorkContext>({
    gateway: compiledExecution(schema), // graphql-jit behind Apollo: see src/server/executor.ts
    introspection: true, // refused by validationRulesOf(policy) instead, on HTTP and WebSocket alike
    validationRules: validationRulesOf(policy),
    // main.ts owns SIGTERM/SIGINT: it stops the sync worker, this server and the database in order.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: (_formatted, error) => shownError(policy, error instanceof GraphQLError ? toClientError(withDatabaseMeaning(error), '') : maskedError('')),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints (every answer is no-store, set below); without this plugin Apollo also stops
      // wrapping every field's resolver to collect them: about a tenth of a work queue's CPU.
      ApolloServerPluginCacheControlDisabled(),
      // A subgraph schema would turn on federated tracing (ftv1) for any client asking for it: we
      // report to no Apollo Studio, and a trace tells a caller the timing of each of our resolvers.
      ApolloServerPluginInlineTraceDisabled(),
      operationPlugin,
      metricsPlugin(metrics),
      { async serverWillStart() { return { drainServer: async () => void (await wsCleanup.dispose()) }; } },
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    try {
      const rows = await database.withConnection((connection) =>
        connection.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`),
      );
      const applied = new Set(rows.map((row) => row.migration_name));
      const pending = migrationNames.filter((name) => !applied.has(name));
      res.status(pending.length ? 503 : 200).json({ status: pending.length ? 'migrations pending' : 'ready', pending });
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'database unreachable' });
    }
  });
  app.get('/metrics', metricsRoute(metrics, policy, config.METRICS_TOKEN));
  app.use(queryPageRoutes(policy, logger));
  // The national document exchange reports recipients' statuses (behind its own token).
  app.use(exchangeCallbackRoutes(platform));
  // Files go in and out beside /graphql, the caller identified as for an operation.
  app.use(
    fileRoutes({
      platform,
      identify: (req, res) =>
        contextFor(platform, identifyDeps, {
          authorization: header(req.headers.authorization),
          province: header(req.headers['x-province']),
          host: header(req.headers.host),
          requestId: res.locals.requestId,
          clientAddress: clientAddressOf(req, trustProxy),
        }),
    }),
  );
  // An operation's context, over POST (graphql-http.ts) and GET (express) alike.
  const graphqlContext = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<WorkContext> => {
    let ctx: WorkContext;
    try {
      ctx = await contextFor(platform, identifyDeps, {
        authorization: header(req.headers.authorization),
        province: header(req.headers['x-province']),
        host: header(req.headers.host),
        requestId: (res as { locals?: { requestId?: string } }).locals?.requestId, // set by the edge's stamp
        clientAddress: clientAddressOf(req, trustProxy),
      });
    } catch (error) {
      throw asContextFailure(error);
    }
    // Counted before Apollo parses the text, with the caller's limit.
    const tooLong = tokenLimitError(queryTextOf(req), limitsFor(config, ctx.caller));
    if (tooLong) throw asContextFailure(Object.assign(tooLong, { requestId: ctx.requestId }));
    // Whatever path Apollo takes, a transaction still open when the answer is gone is rolled back.
    res.once('close', () => void ctx.work.end('rollback').catch(() => undefined).finally(() => ctx.platform.services.fairShare.leave(ctx)));
    return ctx;
  };
  const jsonBody = express.json({ limit: config.MAX_REQUEST_BYTES }) as Middleware;
  postGraphQL = graphqlPost(apollo, { edge, jsonBody, context: graphqlContext, refusal });
  app.use('/graphql', jsonBody, expressMiddleware(apollo, { context: ({ req, res }) => graphqlContext(req, res) }));
  installFallbacks(app, refusal);

  await new Promise<void>((resolve) => httpServer.listen(options.port ?? config.PORT, resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? config.PORT);

  return {
    httpServer,
    port,
    platform,
    metrics,
    async stop() {
      await apollo.stop();
      wsServer.close();
      await modules.stop();
    },
  };
}
