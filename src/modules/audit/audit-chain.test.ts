import { GENESIS_HASH, appendToChain, canonicalJson, hashOf, verifyChain, type StoredEntry } from './audit-chain';

const CAN_THO = '0b1f3c6e-5a4d-4e0b-9f61-2d7c8a9e4b10';

const entry = (n: number) => ({
  tenantId: CAN_THO,
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  at: new Date(Date.UTC(2026, 11, 2, 1, n)),
  kind: 'MUTATION' as const,
  operation: 'NhanHoSo',
  fields: ['receiveDossier'],
  targetIds: [`Dossier:${n}`],
  inputDigest: 'a'.repeat(64),
  requestId: `req-${n}`,
  clientAddress: '203.113.131.7',
  actorKind: 'official',
  actorSubject: 'cccd:092195001234',
  actorRoles: ['RECEIVING_CLERK'],
  actorAgency: '000.00.03.H13',
});

const chainOf = (count: number) => appendToChain({ position: 0, hash: GENESIS_HASH }, Array.from({ length: count }, (_, i) => entry(i + 1)));

describe('canonicalJson', () => {
  test.each([
    ['keys sorted at every level', { b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}'],
    ['dates as ISO instants', { at: new Date('2026-12-02T08:30:00+07:00') }, '{"at":"2026-12-02T01:30:00.000Z"}'],
    ['undefined keys left out, null kept', { a: undefined, b: null }, '{"b":null}'],
    ['Vietnamese text as is', { name: 'Trương Thị Mỹ Tiên' }, '{"name":"Trương Thị Mỹ Tiên"}'],
    ['order of insertion does not matter', { y: 1, x: 2 }, canonicalJson({ x: 2, y: 1 })],
  ])('%s', (_case, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });
});

describe('appendToChain', () => {
  test('numbers entries from the head and links each to the one before', () => {
    const { entries, head } = chainOf(3);
    expect(entries.map((e) => e.position)).toEqual([1, 2, 3]);
    expect(entries[0].previousHash).toBe(GENESIS_HASH);
    expect(entries[1].previousHash).toBe(entries[0].hash);
    expect(entries[2].previousHash).toBe(entries[1].hash);
    expect(head).toEqual({ position: 3, hash: entries[2].hash });
    expect(entries.every((e) => /^[0-9a-f]{64}$/.test(e.hash) && hashOf(e) === e.hash)).toBe(true);
  });

  test('continues a chain across appends as if written at once', () => {
    const first = appendToChain({ position: 0, hash: GENESIS_HASH }, [entry(1)]);
    const second = appendToChain(first.head, [entry(2), entry(3)]);
    expect([...first.entries, ...second.entries]).toEqual(chainOf(3).entries);
  });
});

describe('verifyChain', () => {
  const { entries, head } = chainOf(5);
  const withEntry = (index: number, change: Partial<StoredEntry>) => entries.map((e, i) => (i === index ? { ...e, ...change } : e));
  const forged = appendToChain(head, [entry(6)]).entries[0];

  test('an untouched chain is intact', () => {
    expect(verifyChain(entries, head)).toEqual({ intact: true, entries: 5, head });
  });

  test('an empty chain with no head is intact', () => {
    expect(verifyChain([], null)).toEqual({ intact: true, entries: 0, head: { position: 0, hash: GENESIS_HASH } });
  });

  test.each<[string, StoredEntry[], typeof head | null, { position: number; entryId: string | null; reason: string }]>([
    ['a changed actor', withEntry(2, { actorSubject: 'nguoi-khac' }), head, { position: 3, entryId: entries[2].id, reason: 'WRONG_HASH' }],
    ['a changed time', withEntry(1, { at: new Date(Date.UTC(2026, 0, 1)) }), head, { position: 2, entryId: entries[1].id, reason: 'WRONG_HASH' }],
    ['a changed entry whose hash was recomputed', withEntry(1, { targetIds: [], hash: hashOf({ ...entries[1], targetIds: [] }) }), head, { position: 3, entryId: entries[2].id, reason: 'WRONG_PREVIOUS_HASH' }],
    ['an entry removed in the middle', entries.filter((_, i) => i !== 1), head, { position: 3, entryId: entries[2].id, reason: 'MISSING_ENTRY' }],
    ['the first entry removed', entries.slice(1), head, { position: 2, entryId: entries[1].id, reason: 'MISSING_ENTRY' }],
    ['the last entry removed', entries.slice(0, 4), head, { position: 5, entryId: null, reason: 'MISSING_ENTRY' }],
    ['an entry added past the head, correctly hashed', [...entries, forged], head, { position: 6, entryId: forged.id, reason: 'PAST_HEAD' }],
    ['an entry slipped in, the rest renumbered', [entries[0], { ...forged, position: 2, previousHash: entries[0].hash }, ...entries.slice(1).map((e) => ({ ...e, position: e.position + 1 }))], { ...head, position: 6 }, { position: 2, entryId: forged.id, reason: 'WRONG_HASH' }],
    ['the head rewritten', entries, { position: 5, hash: 'f'.repeat(64) }, { position: 5, entryId: entries[4].id, reason: 'HEAD_MISMATCH' }],
    ['entries with no head', entries, null, { position: 1, entryId: entries[0].id, reason: 'PAST_HEAD' }],
  ])('names the first broken link: %s', (_case, tampered, storedHead, expected) => {
    const verdict = verifyChain(tampered, storedHead);
    expect(verdict.intact).toBe(false);
    if (!verdict.intact) expect(verdict.broken).toEqual({ ...expected, message: expect.any(String) });
  });
});
