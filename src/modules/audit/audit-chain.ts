// The audit trail's hash chain, pure: canonical JSON, an entry's hash, and verifying a province's
// entries in order. Each entry's hash covers the previous one, so changing, removing or slipping in
// an entry breaks every link after it; the chain head (the last position and hash, kept apart)
// catches a chain cut or lengthened at its end.
import crypto from 'node:crypto';

/** The previous hash of a province's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an entry's hash covers: every column but the hash itself. */
export interface ChainedEntry {
  tenantId: string;
  id: string;
  position: number;
  at: Date;
  kind: 'MUTATION' | 'READ';
  operation: string | null;
  fields: string[];
  targetIds: string[];
  inputDigest: string | null;
  requestId: string;
  clientAddress: string;
  actorKind: string;
  actorSubject: string | null;
  actorRoles: string[];
  actorAgency: string | null;
  previousHash: string;
}

export interface StoredEntry extends ChainedEntry {
  hash: string;
}

export interface ChainHead {
  position: number;
  hash: string;
}

/** JSON with object keys sorted at every level and dates as ISO strings: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}

export const sha256 = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** Only the columns of ChainedEntry, whatever else the row carries (the hash, a relation). */
function chainedFields(entry: ChainedEntry): ChainedEntry {
  const { tenantId, id, position, at, kind, operation, fields, targetIds, inputDigest, requestId, clientAddress, actorKind, actorSubject, actorRoles, actorAgency, previousHash } = entry;
  return { tenantId, id, position, at, kind, operation, fields, targetIds, inputDigest, requestId, clientAddress, actorKind, actorSubject, actorRoles, actorAgency, previousHash };
}

/** sha256(previous hash || canonical entry). */
export const hashOf = (entry: ChainedEntry) => sha256(entry.previousHash + canonicalJson(chainedFields(entry)));

/** Links new entries onto the head: positions and previous hashes filled in, hashes computed. */
export function appendToChain(head: ChainHead, entries: Omit<ChainedEntry, 'position' | 'previousHash'>[]): { entries: StoredEntry[]; head: ChainHead } {
  let current = head;
  const linked = entries.map((entry) => {
    const chained: ChainedEntry = { ...entry, position: current.position + 1, previousHash: current.hash };
    const stored = { ...chained, hash: hashOf(chained) };
    current = { position: stored.position, hash: stored.hash };
    return stored;
  });
  return { entries: linked, head: current };
}

export type BrokenLink = {
  /** Where the chain breaks: the position of the first entry whose link is wrong (or of the first missing one at the end). */
  position: number;
  /** That entry; null when the break is entries missing at the end. */
  entryId: string | null;
  reason: 'MISSING_ENTRY' | 'WRONG_PREVIOUS_HASH' | 'WRONG_HASH' | 'PAST_HEAD' | 'HEAD_MISMATCH';
  message: string;
};

export type ChainVerdict = { intact: true; entries: number; head: ChainHead } | { intact: false; entries: number; broken: BrokenLink };

/**
 * Checks a province's entries in position order against its chain head (both read in one snapshot),
 * fed in batches since a chain may be millions of entries long. The first broken link is the verdict.
 */
export function chainVerifier(storedHead: ChainHead | null) {
  const head = storedHead ?? { position: 0, hash: GENESIS_HASH };
  let last: ChainHead = { position: 0, hash: GENESIS_HASH };
  let lastId: string | null = null;
  let seen = 0;
  let broken: BrokenLink | null = null;

  const check = (entry: StoredEntry): BrokenLink | null => {
    const at = `entry ${entry.id} at position ${entry.position}`;
    const expected = last.position + 1;
    if (entry.position !== expected) {
      return { position: entry.position, entryId: entry.id, reason: 'MISSING_ENTRY', message: `${at} follows position ${last.position}: entries ${expected}–${entry.position - 1} are missing` };
    }
    if (entry.position > head.position) {
      return { position: entry.position, entryId: entry.id, reason: 'PAST_HEAD', message: `${at} lies past the chain head (position ${head.position}): added outside the API` };
    }
    if (entry.previousHash !== last.hash) {
      return { position: entry.position, entryId: entry.id, reason: 'WRONG_PREVIOUS_HASH', message: `${at} does not follow the entry before it (previous hash ${entry.previousHash}, expected ${last.hash})` };
    }
    if (hashOf(entry) !== entry.hash) {
      return { position: entry.position, entryId: entry.id, reason: 'WRONG_HASH', message: `${at} was changed after it was written (its hash does not match its content)` };
    }
    return null;
  };

  return {
    /** False once a link is broken: reading further is pointless. */
    add(entries: StoredEntry[]): boolean {
      for (const entry of entries) {
        if (broken) break;
        seen += 1;
        broken = check(entry);
        if (!broken) {
          last = { position: entry.position, hash: entry.hash };
          lastId = entry.id;
        }
      }
      return !broken;
    },
    end(): ChainVerdict {
      if (!broken && last.position < head.position) {
        broken = { position: last.position + 1, entryId: null, reason: 'MISSING_ENTRY', message: `entries ${last.position + 1}–${head.position} are missing (the chain head ends at position ${head.position})` };
      } else if (!broken && last.hash !== head.hash) {
        broken = { position: last.position, entryId: lastId, reason: 'HEAD_MISMATCH', message: `the last entry's hash ${last.hash} is not the chain head's ${head.hash}` };
      }
      return broken ? { intact: false, entries: seen, broken } : { intact: true, entries: seen, head: last };
    },
  };
}

/** All at once, for chains that fit in memory. */
export function verifyChain(entries: StoredEntry[], head: ChainHead | null): ChainVerdict {
  const verifier = chainVerifier(head);
  verifier.add(entries);
  return verifier.end();
}

/** What `npm run audit:verify` prints. */
export function verdictLine(slug: string, verdict: ChainVerdict): string {
  if (verdict.intact) return `audit chain of ${slug}: intact, ${verdict.entries} entries, head ${verdict.head.hash} at position ${verdict.head.position}`;
  const { position, entryId, reason, message } = verdict.broken;
  return `audit chain of ${slug}: BROKEN at position ${position}${entryId ? ` (entry ${entryId})` : ''}: ${reason}: ${message}`;
}
