// The servers under test as child processes, as in production, and what /proc says about them: CPU
// time (utime + stime of /proc/<pid>/stat, all threads of the process) and resident memory (VmRSS,
// and the peak VmHWM, of /proc/<pid>/status). Linux only.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const root = path.join(__dirname, '..', '..');

/** Clock ticks per second of /proc's CPU times: `getconf CLK_TCK`, 100 on every Linux we run on. */
export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A port free now on 127.0.0.1 (the child binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU of the process (every thread), in milliseconds: fields 14 and 15 of stat. */
export function cpuMs(pid: number): number {
  const fields = statFields(pid); // fields[0] is field 3 (state)
  return ((Number(fields[14 - 3]) + Number(fields[15 - 3])) * 1000) / CLOCK_TICKS;
}

/** VmRSS and VmHWM (peak resident set) of the process, in kB. */
export function memoryKb(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** Processes descended from `pid`, children first. */
export function descendantsOf(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      parentOf.set(Number(entry), Number(statFields(Number(entry))[4 - 3]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  for (let queue = [pid]; queue.length; ) {
    const parent = queue.shift()!;
    for (const [child, ppid] of parentOf) if (ppid === parent) (found.push(child), queue.push(child));
  }
  return found;
}

/** The command line of a process, for a report. */
export function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '(gone)';
  }
}

/**
 * Whether `pid` itself holds the socket listening on `port`: one of its descriptors is the socket
 * whose inode /proc/<pid>/net/tcp{,6} lists in state LISTEN (0A) on that port. That makes it the
 * server, not a parent of the server.
 */
export function listensOn(pid: number, port: number): boolean {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (target.startsWith('socket:[')) inodes.add(target.slice(8, -1));
    } catch {
      // closed meanwhile
    }
  }
  for (const table of ['tcp', 'tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      if (columns.length < 10) continue;
      const localPort = parseInt(columns[1].split(':')[1], 16);
      if (columns[3] === '0A' && localPort === port && inodes.has(columns[9])) return true;
    }
  }
  return false;
}

/** Samples VmRSS every `everyMs` until stopped; answers the largest sample, in kB. */
export function sampleRss(pid: number, everyMs = 200): { stop(): number } {
  let max = 0;
  const sample = () => {
    try {
      max = Math.max(max, memoryKb(pid).rss);
    } catch {
      // the process is gone: the run will fail on its own
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return max;
    },
  };
}

export interface ServerProcess {
  name: string;
  pid: number;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Spawn to the first 200 of GET /readyz, in milliseconds. */
  startupMs: number;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Whatever is still running when the bench exits, however it exits, is killed. */
function killOnExit(child: ChildProcess) {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const still of running) still.kill('SIGKILL');
  });
}

/** Stops every server process still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child, 5000)));
}

function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * The Node options `npm start` gives the server (package.json: `exec node <options> src/main.ts`):
 * the bench runs its servers with the same, so that it measures the runtime as deployed.
 */
export const START_NODE_OPTIONS: string[] = (() => {
  const start: string = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start;
  const words = start.split(/\s+/);
  return words.slice(words.indexOf('node') + 1, -1);
})();

/**
 * `node <START_NODE_OPTIONS> <script> [...args]` in the repository's root with `env` (over the bench's own,
 * without its database variables), polled on GET /readyz every 50 ms until it answers 200.
 */
export async function startServerProcess(options: {
  name: string;
  script: string;
  args?: string[];
  env: Record<string, string>;
  port: number;
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const { name, script, args = [], port, timeoutMs = 120_000 } = options;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const variable of ['DATABASE_URL', 'MIGRATION_DATABASE_URL', 'PGLITE_DATA_DIR', 'NODE_OPTIONS']) delete env[variable];
  const started = performance.now();
  const child = spawn(process.execPath, [...START_NODE_OPTIONS, script, ...args], { cwd: root, env: { ...env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  killOnExit(child);
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(String(chunk));
    if (output.length > 50) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_resolve, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${output.join('')}`))),
  );
  exited.catch(() => undefined);
  const deadline = started + timeoutMs;
  for (;;) {
    const ready = await Promise.race([
      fetch(`${url}/readyz`).then((response) => (response.body?.cancel(), response.status === 200), () => false),
      exited,
    ]);
    if (ready) break;
    if (performance.now() > deadline) {
      await stopChild(child, 1000);
      throw new Error(`${name} was not ready in ${timeoutMs / 1000} s:\n${output.join('')}`);
    }
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 50)), exited]);
  }
  const startupMs = performance.now() - started;
  return { name, pid: child.pid!, port, url, startupMs, child, stop: (graceMs = 5000) => stopChild(child, graceMs) };
}
