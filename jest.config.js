/** Tests run against a real PostgreSQL server: TEST_DATABASE_SERVER_URL, default postgresql://postgres@127.0.0.1:5432. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(ts|js)$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  // jose and Prisma's wasm schema engine ship only as ES modules; compile them to CommonJS too.
  transformIgnorePatterns: ['/node_modules/(?!(jose|@prisma/schema-engine-wasm)/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
};
