// npm run manifest:new -- <slug> [file]: writes a new province's manifest skeleton with a fresh id
// to tenants/<slug>.yaml (or the file given), never over an existing file, and says what to do next.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { defaultTenantsDir } from '../src/modules/tenancy/manifest';
import { manifestSkeleton } from '../src/modules/tenancy/manifest-skeleton';

const USAGE = 'usage: npm run manifest:new -- <slug> [file]   (e.g. an-giang; default file tenants/<slug>.yaml)';

function main() {
  const [slug, file, ...rest] = process.argv.slice(2);
  if (!slug || slug.startsWith('-') || rest.length > 0) throw new Error(USAGE);
  const target = file ?? path.join(path.relative(process.cwd(), defaultTenantsDir) || '.', `${slug}.yaml`);
  const id = crypto.randomUUID();
  const skeleton = manifestSkeleton(slug, id);
  try {
    fs.writeFileSync(target, skeleton, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${target} already exists: not overwritten`);
    throw error;
  }
  console.log(`${target}: new manifest, id ${id}. Fill in each TODO, then npm run onboard -- ${target} --dry-run`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
