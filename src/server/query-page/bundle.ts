// Bundles the query page (GraphiQL, React, Monaco and its workers, their CSS) with esbuild from the
// installed npm packages, once per installed version: the first request builds it (a few seconds),
// later ones and later processes read it from node_modules/.cache. Nothing is fetched from a CDN.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type Asset = { contentType: string; body: Buffer };
export type Assets = ReadonlyMap<string, Asset>;

const root = path.join(__dirname, '..', '..', '..');
const clientEntry = path.join(__dirname, 'client.js');

const WORKERS = {
  editor: 'monaco-editor/esm/vs/editor/editor.worker.js',
  json: 'monaco-editor/esm/vs/language/json/json.worker.js',
  graphql: 'monaco-graphql/esm/graphql.worker.js',
};

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
};

/** Pure: the content type of an asset by its extension; null for anything else (never served). */
export const contentTypeOf = (fileName: string): string | null => CONTENT_TYPES[path.extname(fileName)] ?? null;

const versionOf = async (pkg: string) => (JSON.parse(await readFile(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

/** What the bundle is made of: a change to any of them makes a new one. */
async function bundleKey(): Promise<string> {
  const parts = await Promise.all([readFile(clientEntry, 'utf8'), ...['esbuild', 'graphiql', '@graphiql/react', 'monaco-editor', 'react', 'graphql-ws'].map(versionOf)]);
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}

async function build(outdir: string): Promise<void> {
  const esbuild = await import('esbuild');
  const common = { bundle: true, minify: true, logLevel: 'silent', absWorkingDir: root, outdir, define: { 'process.env.NODE_ENV': '"production"' } } as const;
  await esbuild.build({
    ...common,
    entryPoints: { app: clientEntry },
    format: 'esm',
    target: 'es2022',
    // Fonts the CSS names are inlined, so that the page asks this server for nothing but its files.
    loader: { '.ttf': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl' },
  });
  // Monaco starts its workers as classic scripts: one self-contained file each.
  await esbuild.build({ ...common, entryPoints: Object.fromEntries(Object.entries(WORKERS).map(([name, entry]) => [`${name}.worker`, entry])), format: 'iife', target: 'es2022' });
}

async function readAssets(dir: string): Promise<Assets> {
  const assets = new Map<string, Asset>();
  for (const name of await readdir(dir)) {
    const contentType = contentTypeOf(name);
    if (contentType) assets.set(name, { contentType, body: await readFile(path.join(dir, name)) });
  }
  if (!assets.has('app.js') || !assets.has('app.css')) throw new Error(`query page bundle in ${dir} is incomplete`);
  return assets;
}

/** The bundle, built when missing; a concurrent build by another process is harmless (the rename is atomic). */
export async function queryPageAssets(cacheDir = path.join(root, 'node_modules', '.cache', 'egov-query-page')): Promise<Assets> {
  const dir = path.join(cacheDir, await bundleKey());
  try {
    return await readAssets(dir);
  } catch {
    const scratch = `${dir}.${process.pid}.${Date.now()}`;
    await mkdir(scratch, { recursive: true });
    try {
      await build(scratch);
      await rename(scratch, dir).catch(() => undefined); // another process was first: its copy is the same
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    return readAssets(dir);
  }
}
