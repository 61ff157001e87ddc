// Starts the real server in-process on the run's database, as egov_app, and talks to it over HTTP
// like any client would.
import http from 'node:http';
import { loadConfig } from '../../src/config';
import { openPostgres, type Database } from '../../src/db/database';
import { createLogger, type Logger } from '../../src/logger';
import { startServer, type AppServer } from '../../src/server';
import { signDevToken, buildDevTokenClaims } from '../../src/context/dev-token';

export const TEST_JWT_SECRET = 'test-secret-for-jest-only-0123456789abcdef';

export interface GraphQLResponse<Data = Record<string, any>> {
  status: number;
  data?: Data;
  errors?: { message: string; extensions?: Record<string, any>; path?: (string | number)[] }[];
}

export interface RequestOptions {
  token?: string;
  province?: string;
  host?: string;
  /** e.g. x-forwarded-for, to act as another client. */
  headers?: Record<string, string>;
}

export interface TestApi {
  url: string;
  server: AppServer;
  database: Database;
  /** Statements the server sent to PostgreSQL since the last reset. */
  statements: string[];
  gql<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<GraphQLResponse<Data>>;
  token(args: { province?: string; roles: string[]; agency?: string; sub?: string; amr?: string[] }): Promise<string>;
  close(): Promise<void>;
}

// node:http rather than fetch: fetch will not send a Host header of the caller's choosing.
function post(url: string, headers: Record<string, string>, body: string): Promise<GraphQLResponse<any>> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ...JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Every test talks from 127.0.0.1 and shares the run's counters: limits no test reaches unless it
 * sets them. A server process a test starts itself needs them too.
 */
export const UNREACHED_RATE_LIMITS = { RATE_LIMIT_PER_ADDRESS: '1000000', RATE_LIMIT_PER_SUBJECT: '1000000', RATE_LIMIT_PER_PROVINCE: '1000000' };

export function testConfig(overrides: Record<string, string> = {}) {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_APP_URL,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    DATABASE_POOL_SIZE: '5',
    ...UNREACHED_RATE_LIMITS,
    ...overrides,
  } as NodeJS.ProcessEnv);
}

/**
 * `overrides` are environment variables: DATABASE_POOL_SIZE sizes the pool, DATABASE_URL names another
 * database. `clock` is what the server takes as the time of each request (ctx.now); `logger` sees the server's log.
 */
export async function startTestApi(overrides: Record<string, string> = {}, options: { clock?: () => Date; logger?: Logger } = {}): Promise<TestApi> {
  const config = testConfig(overrides);
  const statements: string[] = [];
  const database = openPostgres(config.DATABASE_URL!, { poolSize: config.DATABASE_POOL_SIZE, onStatement: (sql) => statements.push(sql) });
  const server = await startServer({ config, database, logger: options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), port: 0, clock: options.clock });
  const url = `http://127.0.0.1:${server.port}/graphql`;
  return {
    url,
    server,
    database,
    statements,
    async gql(query, variables = {}, options = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.province) headers['x-province'] = options.province;
      if (options.host) headers.host = options.host;
      Object.assign(headers, options.headers);
      return post(url, headers, JSON.stringify({ query, variables }));
    },
    token: (args) => signDevToken(buildDevTokenClaims(args as never), config),
    async close() {
      await server.stop();
      await database.close();
    },
  };
}
