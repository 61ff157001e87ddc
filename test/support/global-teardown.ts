import type { ScratchDatabase } from '../../src/db/scratch-database';

export default async function globalTeardown() {
  await (globalThis as { __testDatabase?: ScratchDatabase }).__testDatabase?.drop();
}
