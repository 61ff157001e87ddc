// Configuration comes from environment variables only, validated once at start. A bad value stops
// the process with one line that names the variable.
import { z } from 'zod';
import { DOSSIER_SETTINGS } from './modules/dossiers/dossier.settings';
import { FILE_SETTINGS } from './modules/files/file.settings';
import { DOCUMENT_SETTINGS } from './modules/documents/document.settings';
import { INDICATOR_SETTINGS } from './modules/indicators/indicators.settings';
import { HTTP_SETTINGS } from './server/http.settings';
import { OPERATION_LIMIT_SETTINGS } from './server/operation-limits.settings';
import { FAIR_SHARE_SETTINGS } from './server/fair-share.settings';

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Runtime connection: must log in as a role without SUPERUSER or BYPASSRLS (egov_app). */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL').optional(),
  /** Owner connection for migrations and onboarding; defaults to DATABASE_URL. */
  MIGRATION_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL').optional(),
  /** Where the embedded PostgreSQL (PGlite) keeps its files when DATABASE_URL is not set. */
  PGLITE_DATA_DIR: z.string().min(1).default('.data/pglite'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Longest a GraphQL request may hold its database transaction. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /** HS256 secret for bearer tokens (development and tests). */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** JWKS endpoint of the identity provider (production). */
  JWT_JWKS_URL: z.string().url().optional(),
  JWT_ISSUER: z.string().default('egov-platform'),
  JWT_AUDIENCE: z.string().default('egov-api'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto`: readable lines on a terminal, JSON lines otherwise (files, log collectors). */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  /**
   * Which proxies' X-Forwarded-For gives the client's address (express "trust proxy"): "loopback"
   * (a proxy on the same host), "false", a hop count or a comma-separated list of addresses/subnets.
   */
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((value): boolean | number | string => (value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value)),
  /** Background jobs (src/jobs/) one process runs at once. */
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
  /** Seed the demo provinces into the embedded database on first start. */
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
  ...HTTP_SETTINGS,
  ...OPERATION_LIMIT_SETTINGS,
  // Each module's own variables.
  ...DOSSIER_SETTINGS,
  ...FILE_SETTINGS,
  ...DOCUMENT_SETTINGS,
  ...INDICATOR_SETTINGS,
  ...FAIR_SHARE_SETTINGS,
});

export type Config = z.infer<typeof configSchema> & { jwtSecret: string | undefined };

/** A development-only secret, so that `npm start` works with no configuration at all. */
export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-change-me-0123456789';

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  const config = parsed.data;
  if (config.NODE_ENV === 'production' && !config.JWT_SECRET && !config.JWT_JWKS_URL) {
    throw new ConfigError('Invalid configuration: JWT_JWKS_URL (or JWT_SECRET) is required when NODE_ENV=production');
  }
  if (config.NODE_ENV === 'production' && !config.DATABASE_URL) {
    throw new ConfigError('Invalid configuration: DATABASE_URL is required when NODE_ENV=production');
  }
  const jwtSecret = config.JWT_SECRET ?? (config.JWT_JWKS_URL ? undefined : DEVELOPMENT_JWT_SECRET);
  return { ...config, jwtSecret };
}
