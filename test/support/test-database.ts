import { createScratchDatabase } from '../../src/db/scratch-database';

/** A scratch database on the test server (TEST_DATABASE_SERVER_URL, default the local PostgreSQL). */
export const createTestDatabase = (prefix: string) => createScratchDatabase(prefix, process.env.TEST_DATABASE_SERVER_URL);
