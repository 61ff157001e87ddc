import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LOCK_FILE, lockFolder } from './folder-lock';

let dir: string;
const lockFile = () => path.join(dir, LOCK_FILE);
const holder = () => JSON.parse(fs.readFileSync(lockFile(), 'utf8'));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-folder-lock-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a second lock of the same folder is refused while the first holds it; after release it works', () => {
  const first = lockFolder(dir);
  expect(holder()).toMatchObject({ pid: process.pid });
  expect(() => lockFolder(dir)).toThrow(/embedded database in .* is already open in this process/);
  first.release();
  expect(fs.existsSync(lockFile())).toBe(false);
  lockFolder(dir).release();
  expect(fs.readdirSync(dir)).toEqual([]); // no draft left behind either
});

test('held by the server in another process: refused with what to do, and the lock is left alone', () => {
  const server = spawn(process.execPath, ['-e', 'setTimeout(() => undefined, 60_000)']);
  try {
    fs.writeFileSync(lockFile(), JSON.stringify({ pid: server.pid, command: 'node_modules/tsx/dist/cli.mjs src/main.ts' }));
    expect(() => lockFolder(dir)).toThrow(
      `is in use by the server (pid ${server.pid}): stop npm start first, or onboard through DATABASE_URL`,
    );
    expect(holder()).toMatchObject({ pid: server.pid });
  } finally {
    server.kill();
  }
});

test('held by another command: names it', () => {
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => undefined, 60_000)']);
  try {
    fs.writeFileSync(lockFile(), JSON.stringify({ pid: other.pid, command: 'scripts/seed.ts' }));
    expect(() => lockFolder(dir)).toThrow(`is in use by another process (pid ${other.pid}: scripts/seed.ts)`);
  } finally {
    other.kill();
  }
});

test.each([
  ['a lock whose process is gone', () => JSON.stringify({ pid: spawnSync(process.execPath, ['-e', '']).pid, command: 'src/main.ts' })],
  ['an unreadable lock', () => '{'],
])('%s is taken over', (_label, content) => {
  fs.writeFileSync(lockFile(), content());
  const lock = lockFolder(dir);
  expect(holder()).toMatchObject({ pid: process.pid });
  lock.release();
});

test('release leaves a lock that another process has taken over since', () => {
  const lock = lockFolder(dir);
  fs.writeFileSync(lockFile(), JSON.stringify({ pid: 1, command: 'someone else' }));
  lock.release();
  expect(holder()).toEqual({ pid: 1, command: 'someone else' });
});
