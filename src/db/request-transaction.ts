// One database transaction per GraphQL operation: the role and the province are set once, at the
// start, and every query of the operation runs inside it (see README, "Row-level security cost").
// The operation's outcome decides commit or rollback, so a failed mutation leaves nothing behind.
import type { PrismaClient } from '../generated/prisma/client';
import { enterAppScope, type Db } from './tenant-scope';

export interface RequestTransaction {
  db: Db;
  /** Ends the transaction; safe to call more than once. */
  finish(outcome: 'commit' | 'rollback'): Promise<void>;
}

const rollbackSignal = new Error('rollback requested');

export function openRequestTransaction(
  prisma: PrismaClient,
  tenantId: string | null,
  timeoutMs: number,
): Promise<RequestTransaction> {
  return new Promise((resolveOpened, rejectOpened) => {
    let decide!: (outcome: 'commit' | 'rollback') => void;
    const decided = new Promise<'commit' | 'rollback'>((resolve) => (decide = resolve));
    let opened = false;

    const settled = prisma
      .$transaction(
        async (tx) => {
          await enterAppScope(tx, tenantId);
          opened = true;
          resolveOpened({ db: tx, finish });
          if ((await decided) === 'rollback') throw rollbackSignal;
        },
        { timeout: timeoutMs, maxWait: timeoutMs },
      )
      .catch((error: unknown) => {
        if (!opened) rejectOpened(error);
      });

    async function finish(outcome: 'commit' | 'rollback') {
      decide(outcome);
      await settled;
    }
  });
}
