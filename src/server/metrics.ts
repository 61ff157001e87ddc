// GET /metrics in Prometheus' text format (prom-client): operations by name, province and outcome,
// their latency, the connection pool, refusals, transport errors and the portal sync backlog. One
// registry per server (tests start several in one process). Every label is bounded: an operation
// name is the client's choice, so only the first MAX_OPERATION_NAMES distinct names get a series
// of their own and the rest count as "(other)"; provinces and outcomes come from our own lists.
import crypto from 'node:crypto';
import type express from 'express';
import client from 'prom-client';
import { GraphQLError, getOperationAST, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context, Platform } from '../context/context';
import type { PoolStats } from '../db/database';
import { withinProvince } from '../db/tenant-scope';
import { inTransaction } from '../db/unit-of-work';
import { ERRORS, ErrorCode } from '../errors';
import type { Logger } from '../logger';
import type { HttpPolicy } from './http-defaults';

export const MAX_OPERATION_NAMES = 200;
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
const NO_PROVINCE = '(none)';

export type Transport = 'http' | 'websocket';

interface CodedError {
  extensions?: { code?: unknown } | Record<string, unknown>;
}

/** Pure: `ok`, or the code of the first error (one of ours; anything else is an internal error). */
export function outcomeOf(errors: readonly CodedError[] | undefined): string {
  if (!errors?.length) return 'ok';
  const code = errors[0].extensions?.code;
  return typeof code === 'string' && Object.hasOwn(ERRORS, code) ? code : ErrorCode.INTERNAL_SERVER_ERROR;
}

export interface OperationObservation {
  transport: Transport;
  operationName: string | null | undefined;
  province: string | null | undefined;
  errors: readonly CodedError[] | undefined;
  /** Unknown for a request refused before it ran (no latency is recorded then). */
  seconds?: number;
}

export interface MetricsSources {
  pool?: () => PoolStats;
  /** Records waiting to be sent to the national portal, per province slug. */
  syncBacklog?: () => Promise<{ province: string; pending: number }[]>;
  logger: Logger;
}

export class Metrics {
  readonly registry = new client.Registry();
  private readonly names = new Set<string>();
  private readonly operations: client.Counter<'transport' | 'operation' | 'province' | 'outcome'>;
  private readonly latency: client.Histogram<'operation' | 'province'>;
  private readonly refusals: client.Counter<'kind' | 'province'>;
  private readonly transportErrors: client.Counter<'code'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    client.collectDefaultMetrics({ register: this.registry });
    this.operations = new client.Counter({
      name: 'egov_graphql_operations_total',
      help: 'GraphQL operations answered, by transport, operation name, province and outcome (ok or the first error code)',
      labelNames: ['transport', 'operation', 'province', 'outcome'],
      registers,
    });
    this.latency = new client.Histogram({
      name: 'egov_graphql_operation_duration_seconds',
      help: 'Time from receiving an operation to its answer (commit included)',
      labelNames: ['operation', 'province'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
      registers,
    });
    this.refusals = new client.Counter({
      name: 'egov_rate_limit_refusals_total',
      help: 'Requests refused by a limit: kind "operation" for operations answered RATE_LIMITED, other kinds as the limit names them',
      labelNames: ['kind', 'province'],
      registers,
    });
    this.transportErrors = new client.Counter({
      name: 'egov_http_transport_errors_total',
      help: 'HTTP requests refused before they became GraphQL operations (malformed or oversized body, ...), by code',
      labelNames: ['code'],
      registers,
    });
    const { pool, syncBacklog, logger } = sources;
    if (pool) {
      new client.Gauge({
        name: 'egov_db_pool_connections',
        help: 'Connections of the database pool, by state (in_use: held by an operation)',
        labelNames: ['state'],
        registers,
        collect() {
          const stats = pool();
          this.set({ state: 'in_use' }, stats.total - stats.idle);
          this.set({ state: 'idle' }, stats.idle);
        },
      });
      new client.Gauge({
        name: 'egov_db_pool_waiting',
        help: 'Operations waiting for a connection of the pool',
        registers,
        collect() {
          this.set(pool().waiting);
        },
      });
    }
    if (syncBacklog) {
      new client.Gauge({
        name: 'egov_portal_sync_pending',
        help: 'Status changes waiting to be sent to the national public-service portal, by province',
        labelNames: ['province'],
        registers,
        async collect() {
          try {
            const counts = await syncBacklog();
            this.reset();
            for (const { province, pending } of counts) this.set({ province }, pending);
          } catch (error) {
            // A scrape while the database is down still answers the other metrics.
            logger.warn({ err: error }, 'metrics: the sync backlog could not be read');
            this.reset();
          }
        },
      });
    }
  }

  /** The label of a client-chosen operation name: bounded in number and format. */
  private operationLabel(name: string | null | undefined): string {
    if (!name) return '(anonymous)';
    if (!GRAPHQL_NAME.test(name)) return '(invalid)';
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_OPERATION_NAMES) return '(other)';
    this.names.add(name);
    return name;
  }

  observeOperation({ transport, operationName, province, errors, seconds }: OperationObservation) {
    const operation = this.operationLabel(operationName);
    const provinceLabel = province ?? NO_PROVINCE;
    const outcome = outcomeOf(errors);
    this.operations.inc({ transport, operation, province: provinceLabel, outcome });
    if (seconds !== undefined) this.latency.observe({ operation, province: provinceLabel }, seconds);
    if (errors?.some((error) => error.extensions?.code === ErrorCode.RATE_LIMITED)) this.countRefusal('operation', province);
  }

  /** For limits that refuse before an operation answers (a socket, a subscription, a queue). */
  countRefusal(kind: string, province?: string | null) {
    this.refusals.inc({ kind, province: province ?? NO_PROVINCE });
  }

  countTransportError(code: string) {
    this.transportErrors.inc({ code });
  }

  /** Wraps graphql-ws's execute or subscribe: counts and times each operation over WebSocket. */
  timed<Args extends ExecutionArgs, Result extends ExecutionResult | AsyncIterable<unknown>>(run: (args: Args) => Promise<Result>) {
    return async (args: Args): Promise<Result> => {
      const startedAt = performance.now();
      const result = await run(args);
      this.observeOperation({
        transport: 'websocket',
        operationName: getOperationAST(args.document, args.operationName)?.name?.value,
        province: (args.contextValue as Context | undefined)?.province?.slug,
        errors: Symbol.asyncIterator in result ? undefined : (result as ExecutionResult).errors,
        seconds: (performance.now() - startedAt) / 1000,
      });
      return result;
    };
  }
}

/** Counts every HTTP operation once its answer is final (after the operation plugin's masking). */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin<Context> {
  // Ours are coded (server.ts: asContextFailure; Apollo's BAD_REQUEST).
  const refused = (error: Error) =>
    metrics.observeOperation({ transport: 'http', operationName: null, province: null, errors: [error instanceof GraphQLError ? error : {}] });
  return {
    async contextCreationDidFail({ error }) {
      refused(error);
    },
    async invalidRequestWasReceived({ error }) {
      refused(error);
    },
    async requestDidStart({ contextValue }) {
      const startedAt = performance.now();
      return {
        async willSendResponse({ response, operationName, document, request }) {
          metrics.observeOperation({
            transport: 'http',
            // A document that failed validation has no resolved operation: name it from the document.
            operationName: operationName ?? (document ? getOperationAST(document, request.operationName)?.name?.value : request.operationName),
            province: contextValue.province?.slug,
            errors: response.body.kind === 'single' ? response.body.singleResult.errors : undefined,
            seconds: (performance.now() - startedAt) / 1000,
          });
        },
      };
    },
  };
}

const digest = (value: string) => crypto.createHash('sha256').update(value).digest();

/** GET /metrics, behind METRICS_TOKEN when one is set; off in production without one. */
export function metricsRoute(metrics: Metrics, policy: HttpPolicy, token: string | undefined): express.RequestHandler {
  const expected = token ? digest(`Bearer ${token}`) : null;
  return async (req, res) => {
    if (policy.metrics === 'off') return void res.status(404).json({ errors: [{ message: 'Không có tài nguyên nào tại đường dẫn này.', extensions: { code: ErrorCode.NOT_FOUND } }] });
    if (expected && !crypto.timingSafeEqual(digest(req.get('authorization') ?? ''), expected)) {
      return void res.status(401).set('www-authenticate', 'Bearer').json({ errors: [{ message: 'Cần mã truy cập (METRICS_TOKEN) để đọc số liệu.', extensions: { code: ErrorCode.UNAUTHENTICATED } }] });
    }
    res.set('cache-control', 'no-store').type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}

/**
 * PENDING outbox records per province. Row-level security shows a transaction one province's rows,
 * so the count crosses provinces the one sanctioned way (withinProvince), as the app role, in one
 * short transaction: two statements per province per scrape, on the (tenant_id, state) index.
 */
export function syncBacklogOf(platform: Pick<Platform, 'database' | 'provinces'>) {
  return async () => {
    const provinces = await platform.provinces.list();
    return inTransaction(platform.database, { tenantId: null, role: 'app', timeoutMs: 5_000 }, async (tx) => {
      const counts: { province: string; pending: number }[] = [];
      for (const province of provinces) {
        const pending = await withinProvince(tx, province.id, '', () => tx.portalSyncRecord.count({ where: { state: 'PENDING' } }));
        counts.push({ province: province.slug, pending });
      }
      return counts;
    });
  };
}
