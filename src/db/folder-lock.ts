// Only one process may open a PGlite folder: a second one (onboard or seed while npm start runs)
// would work on its own copy in memory, and what it wrote would be lost or overwrite the server's.
// PGlite has no lock of its own, so the folder gets one: a file holding the holder's pid.
import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'egov.lock';

export interface FolderLock {
  release(): void;
}

interface Holder {
  pid: number;
  command: string;
}

export class FolderInUseError extends Error {
  override name = 'FolderInUseError';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

function readHolder(file: string): Holder | null {
  try {
    const holder = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Holder>;
    return typeof holder.pid === 'number' ? { pid: holder.pid, command: String(holder.command ?? '') } : null;
  } catch {
    return null;
  }
}

function shown(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative && !relative.startsWith('..') ? relative : dir;
}

function inUseMessage(dir: string, holder: Holder): string {
  const where = `the embedded database in ${shown(dir)}`;
  if (holder.pid === process.pid) return `${where} is already open in this process (pid ${holder.pid})`;
  if (/\bsrc[/\\]main(\.ts)?\b/.test(holder.command)) {
    return `${where} is in use by the server (pid ${holder.pid}): stop npm start first, or onboard through DATABASE_URL`;
  }
  return `${where} is in use by another process (pid ${holder.pid}: ${holder.command || 'unknown'}): let it finish or stop it first`;
}

/**
 * Takes the folder for this process, or throws FolderInUseError naming the holder. A lock left by
 * a process that is gone (killed, crashed) is taken over.
 */
export function lockFolder(dir: string): FolderLock {
  const file = path.join(dir, LOCK_FILE);
  const me: Holder = { pid: process.pid, command: process.argv.slice(1).map((arg) => shown(arg)).join(' ') };
  // Written aside, then linked into place: the lock appears with its content, never empty.
  const draft = `${file}.${process.pid}.${Date.now()}`;
  fs.writeFileSync(draft, JSON.stringify(me));
  try {
    // A second round only after removing a stale lock; a third means others race for it too.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.linkSync(draft, file);
        return releaser(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readHolder(file);
      if (holder && isAlive(holder.pid)) throw new FolderInUseError(inUseMessage(dir, holder));
      // Stale: its process is gone. (Two processes taking over one stale lock at the same instant
      // could both win; these are started by hand, seconds apart.)
      fs.rmSync(file, { force: true });
    }
    throw new FolderInUseError(`the embedded database in ${shown(dir)} is being opened by other processes: try again`);
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

function releaser(file: string): FolderLock {
  return {
    release() {
      // Only our own: never remove a lock another process has taken over since.
      if (readHolder(file)?.pid === process.pid) fs.rmSync(file, { force: true });
    },
  };
}
