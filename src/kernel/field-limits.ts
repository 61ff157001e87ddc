// What a field tells the operation limits (src/server/operation-limits.ts) about itself, as GraphQL
// field extensions: read before the operation runs, from the schema alone.

/** Every connection without its own page size: Pothos' defaults, which the limits assume too. */
export const DEFAULT_PAGE_SIZE = { defaultSize: 20, maxSize: 100 } as const;

export interface PageSize {
  defaultSize: number;
  maxSize: number;
}

/**
 * A connection's page size, spread into its options: Pothos pages by it, and the limits refuse a
 * `first`/`last` above `maxSize` and count the connection's cost by it. One number, two readers.
 */
export function pageSize(defaultSize: number, maxSize: number) {
  return { defaultSize, maxSize, extensions: { pageSize: { defaultSize, maxSize } satisfies PageSize } };
}

/**
 * A subscription field whose live subscriptions are counted per value of one argument within a
 * province (a receipt's code: SUBSCRIPTIONS_PER_RECEIPT), so one receipt cannot open hundreds.
 */
export const subscriptionsCountedBy = (argument: string) => ({ extensions: { subscriptionsCountedBy: argument } });
