import { defineConfig } from 'prisma/config';

// Only `prisma generate` uses the Prisma CLI here; migrations are applied by scripts/migrate.ts
// (the CLI's native schema engine cannot be downloaded on closed networks).
export default defineConfig({ schema: 'prisma/schema.prisma' });
