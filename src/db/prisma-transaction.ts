// Prisma's interactive transaction, held open until the unit of work decides: how `ctx.db` is bound
// to one transaction. On PostgreSQL the transaction is begun by pg-transaction.ts and handed to
// Prisma (no BEGIN of Prisma's); on PGlite Prisma begins it and the scope is set by its first
// statement (`openPrismaTransaction`).
import type { PrismaClient } from '../generated/prisma/client';
import type { Db } from './tenant-scope';
import { scopeSettings, type TransactionScope } from './scope';
import type { OpenTransaction } from './unit-of-work';

const ROLLBACK = Symbol('rollback requested');

export interface HeldPrismaTransaction {
  db: Db;
  /** Lets Prisma's transaction end: `commit` resolves once Prisma let go of it, or rejects with why it could not. */
  release(outcome: 'commit' | 'rollback'): Promise<void>;
}

/**
 * Starts `prisma.$transaction` and resolves with its client once it runs; `start` wraps the call (the
 * PostgreSQL path runs it inside the hand-over of its connection). Prisma's `timeout` ends a
 * transaction left open too long: its statements then fail, and so does `release('commit')`.
 */
export function holdPrismaTransaction(
  prisma: PrismaClient,
  options: { timeoutMs: number; snapshot?: boolean },
  start: <T>(run: () => Promise<T>) => Promise<T> = (run) => run(),
): Promise<HeldPrismaTransaction> {
  return new Promise((resolveHeld, rejectHeld) => {
    let decide!: (outcome: 'commit' | typeof ROLLBACK) => void;
    const decided = new Promise<'commit' | typeof ROLLBACK>((resolve) => (decide = resolve));
    let running = false;
    const settled = start(() =>
      prisma.$transaction(
        async (tx) => {
          running = true;
          resolveHeld({ db: tx, release });
          if ((await decided) === ROLLBACK) throw ROLLBACK;
        },
        { timeout: options.timeoutMs, maxWait: options.timeoutMs, isolationLevel: options.snapshot ? 'RepeatableRead' : undefined },
      ),
    );
    settled.catch((error: unknown) => {
      if (!running) rejectHeld(error);
    });

    async function release(outcome: 'commit' | 'rollback') {
      if (outcome === 'commit') {
        decide('commit');
        await settled;
      } else {
        decide(ROLLBACK);
        await settled.catch(() => undefined);
      }
    }
  });
}

/**
 * A Prisma client over a transaction that is held only when a Prisma call first needs it: most reads
 * of a request go through `sql` alone, and holding Prisma's interactive transaction costs a request
 * about a tenth of its CPU when nothing uses it. Before the first call resolves, `db.model.method(...)`
 * and `db.$method(...)` answer plain promises; after it, the client itself (fluent calls and all).
 */
export function lazyTransactionClient(hold: () => Promise<Db>): Db {
  let client: Db | null = null;
  const ready = () => hold().then((held) => (client = held));
  type Callable = (...args: unknown[]) => unknown;
  const member = (held: Db, name: string) => (held as unknown as Record<string, unknown>)[name] as Record<string, Callable> & Callable;
  // `in` as on the client (Pothos finds a model's delegate with `'dossier' in client`).
  const has = (path: string[]) => (_target: object, name: PropertyKey) =>
    client ? name in path.reduce<Record<string, unknown>>((at, key) => at[key] as Record<string, unknown>, client as unknown as Record<string, unknown>) : typeof name === 'string';
  return new Proxy<Db>({} as Db, {
    has: has([]),
    get(_target, name) {
      if (client) return member(client, name as string);
      if (typeof name !== 'string' || name === 'then') return undefined; // not a thenable: awaiting ctx.db is a mistake
      if (name.startsWith('$')) return (...args: unknown[]) => ready().then((held) => member(held, name).apply(held, args));
      return new Proxy({} as Record<string, Callable>, {
        has: has([name]),
        get(_model, method) {
          if (client) return member(client, name)[method as string];
          if (typeof method !== 'string' || method === 'then') return undefined;
          return (...args: unknown[]) => ready().then((held) => member(held, name)[method](...args));
        },
      });
    },
  });
}

/**
 * A transaction Prisma begins, its scope set by a first statement: two round trips, and `sql` through
 * Prisma's raw queries. What PGlite uses: one session, whose transactions Prisma's adapter serialises.
 */
export async function openPrismaTransaction(prisma: PrismaClient, scope: TransactionScope): Promise<OpenTransaction> {
  const held = await holdPrismaTransaction(prisma, scope);
  try {
    const settings = scopeSettings(scope);
    const calls = settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`);
    await held.db.$queryRawUnsafe(`SELECT ${calls.join(', ')}`, ...settings.flat());
  } catch (error) {
    await held.release('rollback');
    throw error;
  }
  let ended = false;
  return {
    db: held.db,
    sql: { rows: (statement, values = []) => held.db.$queryRawUnsafe(typeof statement === 'string' ? statement : statement.text, ...values) },
    async commit() {
      if (ended) return;
      ended = true;
      await held.release('commit');
    },
    async rollback() {
      if (ended) return;
      ended = true;
      await held.release('rollback');
    },
  };
}
