// Runs one of the npm scripts' files (scripts/*.ts, src/main.ts) as npm would: a child process
// through tsx, with the environment given and no database configured unless the test says so.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const root = path.join(__dirname, '..', '..');
const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function environment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development' };
  delete base.DATABASE_URL;
  delete base.MIGRATION_DATABASE_URL;
  delete base.PGLITE_DATA_DIR;
  return { ...base, ...env };
}

export function startScript(file: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [tsx, file, ...args], { cwd: root, env: environment(env) });
}

export function runScript(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ScriptResult> {
  const child = startScript(file, args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
