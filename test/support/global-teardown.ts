import type { ScratchDatabase } from './scratch-database';

export default async function globalTeardown() {
  await (globalThis as { __testDatabase?: ScratchDatabase }).__testDatabase?.drop();
}
