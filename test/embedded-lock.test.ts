// The embedded database's folder belongs to one process. Onboarding while npm start holds it used
// to write to a copy that was then lost; now it is refused, naming the server, and works once the
// server has stopped.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runScript, startScript } from './support/run-script';

let workDir: string;
let pgliteDir: string;
let server: ChildProcess | undefined;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-embedded-lock-'));
  pgliteDir = path.join(workDir, 'pglite');
});

afterAll(() => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  fs.rmSync(workDir, { recursive: true, force: true });
});

function startServer(): Promise<ChildProcess> {
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  const child = startScript('src/main.ts', [], { PORT: String(port), PGLITE_DATA_DIR: pgliteDir, SEED_DEMO: 'false', LOG_LEVEL: 'info' });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    child.stdout!.on('data', () => {
      if (output.includes('GraphQL API at')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
  });
}

const onboardDryRun = () => runScript('scripts/onboard.ts', ['tenants/vinh-long.yaml', '--dry-run'], { PGLITE_DATA_DIR: pgliteDir });

test('onboarding the embedded database while npm start holds it is refused in one line', async () => {
  server = await startServer();
  const result = await onboardDryRun();
  expect(result.code).toBe(1);
  expect(result.stderr.trim()).toMatch(
    /^the embedded database in .*pglite is in use by the server \(pid \d+\): stop npm start first, or onboard through DATABASE_URL$/,
  );
}, 150_000);

test('once the server has stopped, onboarding the same folder works', async () => {
  const stopped = new Promise((resolve) => server!.once('exit', resolve));
  server!.kill('SIGTERM');
  await stopped;
  const result = await onboardDryRun();
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(/Tỉnh Vĩnh Long \(vinh-long\) — chạy thử/);
  expect(result.code).toBe(0);
}, 150_000);
