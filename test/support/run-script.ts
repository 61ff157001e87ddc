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

export interface ServerProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  /** What it printed so far. */
  output: string[];
  stop(): void;
}

/**
 * A second server process (`src/main.ts`) on the run's test database, for what crosses processes
 * (NOTIFY, shared rate-limit counters); resolves once it listens.
 */
export async function startServerProcess(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  const child = startScript('src/main.ts', [], { DATABASE_URL: process.env.TEST_APP_URL, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: String(port), ...env });
  const output: string[] = [];
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`second server did not start:\n${output.join('')}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`second server exited with ${code}:\n${output.join('')}`)));
    const check = () => (output.join('').includes('GraphQL API at') ? (clearTimeout(timer), resolve()) : setTimeout(check, 100));
    check();
  });
  return {
    child,
    url: `http://127.0.0.1:${port}/graphql`,
    output,
    stop: () => void (child.exitCode === null && child.kill('SIGTERM')),
  };
}

/**
 * Waits until the server behind `graphqlUrl` has set up `count` subscriptions named `operationName`
 * (its /metrics counts each subscribe step once its listener is in place): a fixed pause is too
 * short on a loaded machine. Resolves false at the deadline.
 */
export async function subscriptionsSetUp(graphqlUrl: string, operationName: string, count = 1, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const line = new RegExp(`^egov_graphql_operations_total\\{[^}]*operation="${operationName}"[^}]*outcome="ok"[^}]*\\} (\\d+)`, 'gm');
  while (Date.now() < deadline) {
    const metrics = await (await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'))).text();
    const setUp = [...metrics.matchAll(line)].reduce((sum, match) => sum + Number(match[1]), 0);
    if (setUp >= count) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
