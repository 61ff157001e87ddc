import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from './config';

test('no variables at all: the embedded defaults, with a development secret', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({ PORT: 4000, PGLITE_DATA_DIR: '.data/pglite', jwtSecret: DEVELOPMENT_JWT_SECRET });
  expect(config.DATABASE_URL).toBeUndefined();
});

test.each([
  [{ PORT: 'bốn nghìn' }, /^Invalid configuration: PORT /],
  [{ PORT: '70000' }, /^Invalid configuration: PORT /],
  [{ DATABASE_URL: 'mysql://localhost/egov' }, /^Invalid configuration: DATABASE_URL must be a postgresql:\/\/ URL$/],
  [{ JWT_SECRET: 'short' }, /^Invalid configuration: JWT_SECRET must be at least 32 characters$/],
  [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL /],
  [{ NODE_ENV: 'production', DATABASE_URL: 'postgresql://egov_app@db/egov' }, /JWT_JWKS_URL \(or JWT_SECRET\) is required/],
  [{ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }, /DATABASE_URL is required/],
])('%j is refused with one line naming the variable', (env, message) => {
  expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(ConfigError);
  expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(message);
});
