// The HTTP edge's defaults: what production hides (introspection, field suggestions, the query
// page), the headers every answer carries, CORS for the provinces' own sites, compression, and the
// JSON answer to requests refused before they become GraphQL operations (a malformed or oversized
// body), which express would otherwise answer with an HTML page and, in development, a stack trace.
import type http from 'node:http';
import compression from 'compression';
import cors from 'cors';
import type express from 'express';
import { GraphQLError, type GraphQLFormattedError, type ValidationRule } from 'graphql';
import type { Config } from '../config';
import { requestIdOf } from '../context/context';
import type { ProvinceDirectory } from '../context/province-directory';
import { ErrorCode, clientErrorOf, httpStatusOf, maskedError, toClientError } from '../errors';
import { databaseFailure } from '../db/database-errors';
import type { Logger } from '../logger';

// ---------------------------------------------------------------- what production hides

export interface HttpPolicy {
  introspection: boolean;
  fieldSuggestions: boolean;
  queryPage: boolean;
  /** `token`: a bearer METRICS_TOKEN is required; `off`: /metrics answers 404. */
  metrics: 'open' | 'token' | 'off';
}

type PolicySettings = Pick<Config, 'NODE_ENV' | 'GRAPHQL_INTROSPECTION' | 'GRAPHQL_FIELD_SUGGESTIONS' | 'GRAPHQL_QUERY_PAGE' | 'METRICS_TOKEN'>;

/** Pure: an unset switch is on in development and tests, off in production. */
export function httpPolicy(config: PolicySettings): HttpPolicy {
  const developing = config.NODE_ENV !== 'production';
  return {
    introspection: config.GRAPHQL_INTROSPECTION ?? developing,
    fieldSuggestions: config.GRAPHQL_FIELD_SUGGESTIONS ?? developing,
    queryPage: config.GRAPHQL_QUERY_PAGE ?? developing,
    metrics: config.METRICS_TOKEN ? 'token' : developing ? 'open' : 'off',
  };
}

// graphql-js appends its suggestions (" Did you mean "agency"?") to validation and coercion
// messages; they let anyone map a schema whose introspection is off, one guess at a time.
const SUGGESTION = / Did you mean [^?]*\?/g;

export const withoutSuggestions = (message: string) => message.replace(SUGGESTION, '');

export function formattedWithoutSuggestions(error: GraphQLFormattedError): GraphQLFormattedError {
  const message = withoutSuggestions(error.message);
  return message === error.message ? error : { ...error, message };
}

/** Refuses `__schema` and `__type` (`__typename` stays: clients need it for unions). */
export const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(new GraphQLError('Máy chủ này không cho phép truy vấn cấu trúc API (introspection).', { nodes: node }));
    }
  },
});

/** The rules added to graphql-js's own, on HTTP and WebSocket alike. */
export const validationRulesOf = (policy: HttpPolicy): ValidationRule[] => (policy.introspection ? [] : [noIntrospection]);

/** The query page cannot be framed by another site (clickjacking with the visitor's token). */
export const QUERY_PAGE_HEADERS = {
  'content-security-policy': "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
};

// ---------------------------------------------------------------- CORS

/** Pure: the origins a browser may call from: each host name over https and http, and the configured ones. */
export function allowedOrigins(hostNames: readonly string[], configured: readonly string[]): Set<string> {
  return new Set([...hostNames.flatMap((host) => [`https://${host.toLowerCase()}`, `http://${host.toLowerCase()}`]), ...configured]);
}

/** Bearer tokens travel in headers, not cookies: no credentials mode is needed or allowed. */
function corsForProvinces(provinces: ProvinceDirectory, configured: readonly string[], logger: Logger) {
  return cors({
    origin: (origin, callback) => {
      if (!origin) return callback(null, false);
      provinces
        .list()
        .then((list) => callback(null, allowedOrigins(list.flatMap((province) => province.hostNames), configured).has(origin.toLowerCase())))
        .catch((error: unknown) => {
          logger.warn({ err: error }, 'CORS: the province list could not be read');
          callback(null, false);
        });
    },
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'x-province', 'x-request-id', 'apollo-require-preflight'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });
}

// ---------------------------------------------------------------- transport failures

export interface TransportFailure {
  status: number;
  code: ErrorCode;
  message: string;
}

/** Pure: what a request refused below GraphQL (body-parser, bad URL) means to the client; null: a fault of ours. */
export function transportFailure(error: unknown): TransportFailure | null {
  const { type, status, limit } = (error ?? {}) as { type?: string; status?: number; limit?: number };
  switch (type) {
    case 'entity.too.large':
      return {
        status: 413,
        code: ErrorCode.PAYLOAD_TOO_LARGE,
        message: `Nội dung yêu cầu vượt quá giới hạn ${limit ? `${Math.round((limit / 1024 / 1024) * 10) / 10} MB` : 'cho phép'}.`,
      };
    case 'entity.parse.failed':
      return { status: 400, code: ErrorCode.BAD_REQUEST, message: 'Nội dung yêu cầu không phải JSON hợp lệ.' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, code: ErrorCode.BAD_REQUEST, message: 'Bảng mã của nội dung không được hỗ trợ; hãy gửi JSON UTF-8.' };
  }
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, code: ErrorCode.BAD_REQUEST, message: 'Yêu cầu HTTP không hợp lệ.' };
  return null;
}

/** A JSON error answer, on node's own response (express' or not). */
function jsonErrors(res: http.ServerResponse, status: number, error: GraphQLFormattedError) {
  res.statusCode = status;
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [error] }));
}

// ---------------------------------------------------------------- installing them

/** Connect-style middleware, as express, compression, cors and body-parser take it. */
export type Middleware = (req: http.IncomingMessage, res: http.ServerResponse, next: (error?: unknown) => void) => void;

/**
 * What every answer goes through, built once: compression (when the client asks), the request id
 * (the client's X-Request-Id when it is safe to log, else a new one, in `res.locals.requestId`) with
 * nosniff, and CORS for /graphql. Express runs them before every route; POST /graphql runs them
 * itself (graphql-http.ts).
 */
export interface HttpEdge {
  compress: Middleware;
  stamp: Middleware;
  cors: Middleware;
}

export function httpEdge(deps: { config: Config; provinces: ProvinceDirectory; logger: Logger }): HttpEdge {
  return {
    compress: compression() as Middleware,
    stamp: (req, res, next) => {
      const given = req.headers['x-request-id'];
      const requestId = requestIdOf(Array.isArray(given) ? given[0] : given);
      const locals = ((res as { locals?: Record<string, unknown> }).locals ??= Object.create(null) as Record<string, unknown>);
      locals.requestId = requestId;
      res.setHeader('x-request-id', requestId);
      res.setHeader('x-content-type-options', 'nosniff');
      next();
    },
    cors: corsForProvinces(deps.provinces, deps.config.CORS_ORIGINS, deps.logger) as Middleware,
  };
}

/** Before every route: no X-Powered-By, then the edge. */
export function installHttpDefaults(app: express.Express, edge: HttpEdge) {
  app.disable('x-powered-by');
  app.set('etag', false); // answers are no-store: hashing every body for an ETag bought nothing
  app.use(edge.compress);
  app.use(edge.stamp);
  app.use('/graphql', edge.cors);
}

export interface RefusalDeps {
  logger: Logger;
  onRefused(code: ErrorCode): void;
}

/** A request refused below GraphQL (a malformed or oversized body), or a fault of ours there: a JSON answer, logged with the request id. */
export function answerTransportFailure(req: http.IncomingMessage, res: http.ServerResponse, error: unknown, deps: RefusalDeps): void {
  const requestId: string = ((res as { locals?: { requestId?: string } }).locals?.requestId) ?? requestIdOf(undefined);
  const failure = transportFailure(error);
  deps.onRefused(failure?.code ?? ErrorCode.INTERNAL_SERVER_ERROR);
  const entry = { requestId, method: req.method, path: ((req as { originalUrl?: string }).originalUrl ?? req.url ?? '').split('?')[0], status: failure?.status ?? 500, code: failure?.code ?? ErrorCode.INTERNAL_SERVER_ERROR };
  if (failure) {
    deps.logger.warn({ ...entry, reason: (error as { type?: string }).type ?? null, detail: (error as Error).message }, 'http request refused');
    jsonErrors(res, failure.status, { message: failure.message, extensions: { code: failure.code } });
  } else {
    deps.logger.error({ ...entry, err: error }, 'http request failed');
    jsonErrors(res, 500, maskedError(requestId));
  }
}

/** After every route: an unknown path and a refused request answer JSON, logged with the request id. */
export function installFallbacks(app: express.Express, deps: RefusalDeps) {
  app.use((_req, res) => jsonErrors(res, 404, { message: 'Không có tài nguyên nào tại đường dẫn này.', extensions: { code: ErrorCode.NOT_FOUND } }));
  app.use(((error, req, res, next) => {
    if (res.headersSent) return next(error); // express ends the connection
    answerTransportFailure(req, res, error, deps);
  }) as express.ErrorRequestHandler);
}

/**
 * A route beside /graphql (files, the exchange's reports) answering a failure under the same error
 * contract: a database failure given its client meaning, a coded error with its status and
 * Retry-After, a fault of ours logged and masked to the request id. An answer already under way is
 * cut off instead.
 */
export function answerError(res: express.Response, error: unknown, requestId: string, log: Logger): void {
  const meant = databaseFailure(error);
  const failure = meant instanceof GraphQLError ? meant : new GraphQLError(String(meant), { originalError: meant instanceof Error ? meant : undefined });
  if (!clientErrorOf(failure)) log.error({ err: error, requestId }, 'route failed');
  if (res.headersSent) return void res.destroy();
  const formatted = toClientError(failure, requestId);
  const retryAfter = formatted.extensions?.retryAfterSeconds;
  if (retryAfter) res.setHeader('retry-after', String(retryAfter));
  res.status(httpStatusOf(formatted.extensions?.code)).setHeader('cache-control', 'no-store').json({ errors: [formatted] });
}

/** What a client sees of an error under the policy: without graphql-js's suggestions unless they are on. */
export const shownError = (policy: HttpPolicy, error: GraphQLFormattedError) => (policy.fieldSuggestions ? error : formattedWithoutSuggestions(error));

/** The same for graphql-ws, which hands over GraphQLError objects. */
export const shownErrors = (policy: HttpPolicy, errors: readonly GraphQLError[]) => errors.map((error) => shownError(policy, error.toJSON()));
