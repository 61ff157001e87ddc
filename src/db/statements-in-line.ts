// GraphQL resolves sibling fields concurrently, and they all share the operation's one transaction,
// so one pg client gets a query while another is still running. pg 8 queues it with a deprecation
// warning; pg 9 will refuse it. Here each transaction sends its statements one after another, as a
// single connection does anyway: the order is the order they were asked for, COMMIT last.
import type { SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';

export function withStatementsInLine(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      const startTransaction = adapter.startTransaction.bind(adapter);
      adapter.startTransaction = async (isolationLevel) => inLine(await startTransaction(isolationLevel));
      return adapter;
    },
  };
}

export function inLine(transaction: Transaction): Transaction {
  let last: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(run: () => Promise<T>): Promise<T> => {
    const next = last.then(run);
    last = next.catch(() => undefined); // a failed statement does not stop the ones behind it
    return next;
  };
  const queryRaw = transaction.queryRaw.bind(transaction);
  const executeRaw = transaction.executeRaw.bind(transaction);
  transaction.queryRaw = (query) => enqueue(() => queryRaw(query));
  transaction.executeRaw = (query) => enqueue(() => executeRaw(query));
  return transaction;
}
