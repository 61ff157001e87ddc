// Ids derived from names (the version 5 UUID layout: SHA-1 of a namespace and a name): the same
// province, agency, unit or development subject gets the same id in every database and on every
// run, so seeds are deterministic and links survive a rebuild.
import crypto from 'node:crypto';

const NO_NAMESPACE = new Uint8Array(0);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Any UUID, in either case (tokens and identity providers write them both ways). */
export const isUuid = (text: string) => UUID.test(text);

/** A UUID from `namespace` and `parts` (joined by NUL, which no part contains). */
export function stableUuidIn(namespace: Uint8Array, ...parts: string[]): string {
  const hash = crypto.createHash('sha1').update(namespace).update(parts.join('\u0000')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A UUID from `parts` alone: stableUuid('agency', tenantId, '000.00.03.H13'). */
export const stableUuid = (...parts: string[]) => stableUuidIn(NO_NAMESPACE, ...parts);
