// HTTP (Apollo Server on express) and WebSocket (graphql-ws) on one port and one path, /graphql.
import http from 'node:http';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { GraphQLError, getOperationAST, type GraphQLFormattedError } from 'graphql';
import type { Config } from './config';
import type { Database } from './db/database';
import { readMigrations } from './db/migrator';
import { openContext, openSubscriptionContext, type Context, type ContextDependencies, type OpenedContext, type RequestCredentials } from './context/context';
import { createProvinceDirectory } from './context/province-directory';
import { createTokenVerifier } from './context/token';
import { ErrorCode, isClientError, maskedError, toClientError } from './errors';
import type { Logger } from './logger';
import { schema } from './schema';
import { landingPage } from './landing-page';
import { startDossierEventHub } from './modules/dossiers/dossier-events';

export interface AppServer {
  httpServer: http.Server;
  port: number;
  stop(): Promise<void>;
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

// Internal errors leave only their request id; the log has the rest.
function maskErrors(errors: readonly GraphQLFormattedError[] | undefined, requestId: string) {
  return errors?.map((error) => (error.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR ? maskedError(requestId) : error));
}

// Keyed by the transaction client: Apollo gives plugins a shallow copy of the context object.
const finishers = new WeakMap<object, OpenedContext['finish']>();

// Ends each operation's transaction (commit unless it had errors), masks and logs.
const operationPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart({ contextValue }) {
    const startedAt = performance.now();
    return {
      async didEncounterErrors({ errors }) {
        for (const error of errors) {
          if (!isClientError(error)) contextValue.log.error({ err: error.originalError ?? error }, 'internal error');
        }
      },
      async willSendResponse({ response, operationName, errors }) {
        await finishers.get(contextValue.db)?.(errors?.length ? 'rollback' : 'commit');
        finishers.delete(contextValue.db);
        if (response.body.kind === 'single') {
          const masked = maskErrors(response.body.singleResult.errors, contextValue.requestId);
          if (masked) response.body.singleResult.errors = masked;
        }
        response.http.headers.set('x-request-id', contextValue.requestId);
        response.http.headers.set('cache-control', 'no-store'); // answers depend on the caller
        contextValue.log.info(
          { operationName: operationName ?? null, durationMs: Math.round(performance.now() - startedAt), errors: errors?.length ?? 0 },
          'graphql operation',
        );
      },
    };
  },
};

export async function startServer(options: { config: Config; database: Database; logger: Logger; port?: number }): Promise<AppServer> {
  const { config, database, logger } = options;
  const provinces = createProvinceDirectory(database.prisma);
  const events = await startDossierEventHub(database);
  const deps: ContextDependencies = { config, prisma: database.prisma, provinces, verifyToken: createTokenVerifier(config), logger, events };
  const migrationNames = readMigrations().map((migration) => migration.name);

  const app = express();
  // Whose X-Forwarded-For to believe for the client's address (rate limits): see README.
  app.set('trust proxy', config.TRUST_PROXY);
  const httpServer = http.createServer(app);

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const socketOperations = new WeakMap<object, Map<string, OpenedContext & { failed: boolean }>>();
  const operationsOf = (socket: object) => {
    let operations = socketOperations.get(socket);
    if (!operations) socketOperations.set(socket, (operations = new Map()));
    return operations;
  };
  const wsCleanup = useServer<Record<string, unknown> | undefined>(
    {
      schema,
      context: async (ctx, id, _payload, args) => {
        const params = ctx.connectionParams ?? {};
        const credentials: RequestCredentials = {
          authorization: typeof params.authorization === 'string' ? params.authorization : undefined,
          province: typeof params.province === 'string' ? params.province : undefined,
          host: header(ctx.extra.request.headers.host),
          clientAddress: ctx.extra.request.socket.remoteAddress,
        };
        // A subscription may live for hours: it holds no transaction; each event opens its own.
        if (getOperationAST(args.document, args.operationName)?.operation === 'subscription') {
          const context = await openSubscriptionContext(deps, credentials);
          operationsOf(ctx.extra.socket).set(id, { context, finish: async () => undefined, failed: false });
          return context;
        }
        const opened = await openContext(deps, credentials);
        operationsOf(ctx.extra.socket).set(id, { ...opened, failed: false });
        return opened.context;
      },
      onNext: (ctx, id, _payload, _args, result) => {
        const operation = operationsOf(ctx.extra.socket).get(id);
        if (!operation || !result.errors?.length) return;
        operation.failed = true;
        for (const error of result.errors) {
          if (!isClientError(error)) operation.context.log.error({ err: error.originalError ?? error }, 'internal error');
        }
        return { ...result, errors: maskErrors(result.errors.map(toClientError), operation.context.requestId) };
      },
      onComplete: async (ctx, id) => {
        const operations = operationsOf(ctx.extra.socket);
        const operation = operations.get(id);
        operations.delete(id);
        await operation?.finish(operation.failed ? 'rollback' : 'commit');
      },
      onClose: async (ctx) => {
        for (const operation of operationsOf(ctx.extra.socket).values()) await operation.finish('rollback');
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: true,
    // main.ts owns SIGTERM/SIGINT: it stops the sync worker, this server and the database in order.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) =>
      error instanceof GraphQLError ? toClientError(error) : { message: 'internal', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints (every answer is no-store, set below); without this plugin Apollo also stops
      // wrapping every field's resolver to collect them: about a tenth of a work queue's CPU.
      ApolloServerPluginCacheControlDisabled(),
      operationPlugin,
      { async serverWillStart() { return { drainServer: async () => void (await wsCleanup.dispose()) }; } },
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    try {
      const rows = await database.prisma.$queryRaw<{ migration_name: string }[]>`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`;
      const applied = new Set(rows.map((row) => row.migration_name));
      const pending = migrationNames.filter((name) => !applied.has(name));
      res.status(pending.length ? 503 : 200).json({ status: pending.length ? 'migrations pending' : 'ready', pending });
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'database unreachable' });
    }
  });
  app.get('/graphql', (req, res, next) => {
    if (req.query.query || req.accepts(['application/json', 'text/html']) !== 'text/html') return next();
    res.type('html').send(landingPage);
  });
  app.use(
    '/graphql',
    express.json({ limit: '2mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const opened = await openContext(deps, {
          authorization: header(req.headers.authorization),
          province: header(req.headers['x-province']),
          host: header(req.headers.host),
          requestId: header(req.headers['x-request-id']),
          clientAddress: req.ip,
        });
        finishers.set(opened.context.db, opened.finish);
        return opened.context;
      },
    }),
  );

  await new Promise<void>((resolve) => httpServer.listen(options.port ?? config.PORT, resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? config.PORT);

  return {
    httpServer,
    port,
    async stop() {
      await apollo.stop();
      wsServer.close();
      await events.close();
    },
  };
}
