// Runs `prisma generate` without letting the CLI download its native schema engine: generation does
// not use that engine, but the CLI looks for it unless PRISMA_SCHEMA_ENGINE_BINARY names a file.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PATH = path.join(__dirname, '..', 'node_modules', '.bin') + path.delimiter + env.PATH;
const cli = path.join(__dirname, '..', 'node_modules', 'prisma', 'build', 'index.js');
execFileSync(process.execPath, [cli, 'generate'], { stdio: 'inherit', env, cwd: path.join(__dirname, '..') });
