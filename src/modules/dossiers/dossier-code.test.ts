import crypto from 'node:crypto';
import {
  SECRET_ALPHABET,
  formatDossierCode,
  hashTrackingSecret,
  isWellFormedSecret,
  newTrackingSecret,
  normaliseSecret,
  parseDossierCode,
  secretsMatch,
} from './dossier-code';

describe('formatDossierCode and parseDossierCode', () => {
  // agency codes as in tenants/*.yaml, plus a ministry-style identifier
  test.each([
    ['000.00.01.H13', '2026-04-29', 7, '000.00.01.H13-260429-0007'],
    ['000.00.00.H17', '2026-01-01', 1, '000.00.00.H17-260101-0001'],
    ['000.01.30.H62', '2025-12-31', 9999, '000.01.30.H62-251231-9999'],
    ['000.00.20.H50', '2028-02-29', 10000, '000.00.20.H50-280229-10000'],
    ['000.04.30.H29', '2026-07-01', 123456, '000.04.30.H29-260701-123456'],
    ['G22.35', '2030-10-05', 42, 'G22.35-301005-0042'],
    ['H13', '2026-05-04', 100, 'H13-260504-0100'],
    // an inner dash is allowed as long as it cannot be mistaken for the date part
    ['SO-TP.H13', '2026-05-04', 3, 'SO-TP.H13-260504-0003'],
  ])('%s, %s, %d ⇄ %s', (agencyCode, localDate, sequence, code) => {
    expect(formatDossierCode(agencyCode, localDate, sequence)).toBe(code);
    expect(parseDossierCode(code)).toEqual({ agencyCode, localDate, sequence });
  });

  test.each([
    ['empty agency', '', '2026-04-29', 1],
    ['lower-case agency', '000.00.01.h13', '2026-04-29', 1],
    ['space in agency', '000.00.01 H13', '2026-04-29', 1],
    ['agency ending in a dot', '000.00.01.', '2026-04-29', 1],
    ['agency ending in a dash', 'H13-', '2026-04-29', 1],
    ['agency with a date-like part inside', 'X-260429-Y', '2026-04-29', 1],
    ['agency ending in a date-like part', 'X-260429', '2026-04-29', 1],
    ['30 February', '000.00.01.H13', '2026-02-30', 1],
    ['29 February in a common year', '000.00.01.H13', '2026-02-29', 1],
    ['month 13', '000.00.01.H13', '2026-13-01', 1],
    ['date without dashes', '000.00.01.H13', '20260429', 1],
    ['last century', '000.00.01.H13', '1999-12-31', 1],
    ['next century', '000.00.01.H13', '2100-01-01', 1],
    ['sequence 0', '000.00.01.H13', '2026-04-29', 0],
    ['negative sequence', '000.00.01.H13', '2026-04-29', -1],
    ['fractional sequence', '000.00.01.H13', '2026-04-29', 1.5],
    ['NaN sequence', '000.00.01.H13', '2026-04-29', NaN],
  ])('format refuses %s', (_label, agencyCode, localDate, sequence) => {
    expect(() => formatDossierCode(agencyCode, localDate, sequence)).toThrow(RangeError);
  });

  test.each([
    ['impossible date 30 Feb', '000.00.01.H13-260230-0001'],
    ['29 Feb in a common year', '000.00.01.H13-270229-0001'],
    ['month 00', '000.00.01.H13-260029-0001'],
    ['day 00', '000.00.01.H13-260400-0001'],
    ['month 13', '000.00.01.H13-261301-0001'],
    ['missing sequence', '000.00.01.H13-260429'],
    ['missing date', '000.00.01.H13-0007'],
    ['missing agency', '-260429-0007'],
    ['only date and sequence', '260429-0007'],
    ['sequence too short', '000.00.01.H13-260429-007'],
    ['sequence padded beyond 4 digits', '000.00.01.H13-260429-00007'],
    ['sequence zero', '000.00.01.H13-260429-0000'],
    ['four-digit year', '000.00.01.H13-20260429-0007'],
    ['lower-case agency', '000.00.01.h13-260429-0007'],
    ['leading space', ' 000.00.01.H13-260429-0007'],
    ['trailing space', '000.00.01.H13-260429-0007 '],
    ['space inside', '000.00.01.H13 -260429-0007'],
    ['slashes', '000.00.01.H13/260429/0007'],
    ['letters in sequence', '000.00.01.H13-260429-00O7'],
    ['empty', ''],
  ])('parse rejects %s: %j', (_label, code) => {
    expect(parseDossierCode(code)).toBeNull();
  });

  test('the date is read back in this century', () => {
    expect(parseDossierCode('000.00.01.H13-000101-0001')?.localDate).toBe('2000-01-01');
    expect(parseDossierCode('000.00.01.H13-991231-0001')?.localDate).toBe('2099-12-31');
  });
});

describe('tracking secrets', () => {
  test('the alphabet has no look-alikes and no repeats', () => {
    for (const ambiguous of ['0', 'O', '1', 'I', 'L']) expect(SECRET_ALPHABET).not.toContain(ambiguous);
    expect(SECRET_ALPHABET).toMatch(/^[A-Z2-9]+$/);
    expect(new Set(SECRET_ALPHABET).size).toBe(SECRET_ALPHABET.length);
  });

  test('new secrets are 8 characters of the alphabet and differ', () => {
    const secrets = Array.from({ length: 200 }, () => newTrackingSecret());
    for (const secret of secrets) {
      expect(secret).toHaveLength(8);
      for (const character of secret) expect(SECRET_ALPHABET).toContain(character);
      expect(isWellFormedSecret(secret)).toBe(true);
    }
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  test('new secrets use crypto.randomInt over the whole alphabet', () => {
    const spy = jest.spyOn(crypto, 'randomInt');
    try {
      newTrackingSecret();
      expect(spy).toHaveBeenCalledTimes(8);
      for (const call of spy.mock.calls) expect(call).toEqual([SECRET_ALPHABET.length]);
    } finally {
      spy.mockRestore();
    }
  });

  test.each([
    ['ABCD2345', 'ABCD2345'],
    ['abcd2345', 'ABCD2345'],
    ['  AbCd 2345 ', 'ABCD2345'],
    ['ABCD-2345', 'ABCD2345'],
    ['ab-cd 23-45', 'ABCD2345'],
    ['ABCD\u20132345', 'ABCD2345'],
    ['ABCD\t2345\n', 'ABCD2345'],
    ['', ''],
  ])('normaliseSecret(%j) → %j', (input, expected) => {
    expect(normaliseSecret(input)).toBe(expected);
  });

  test.each([
    ['ABCD2345', true],
    ['abcd-2345', true],
    [' WXYZ 9876 ', true],
    ['ABCD234', false],
    ['ABCD23456', false],
    ['ABCD0345', false],
    ['ABCDO345', false],
    ['ABCD1345', false],
    ['ABCDI345', false],
    ['ABCDL345', false],
    ['abcdl345', false],
    ['ABCĐ2345', false],
    ['ABCD_345', false],
    ['', false],
  ])('isWellFormedSecret(%j) → %s', (secret, expected) => {
    expect(isWellFormedSecret(secret)).toBe(expected);
  });

  const CODE = '000.00.01.H13-260429-0007';

  test('the hash is sha256 hex of code:normalised secret', () => {
    const expected = crypto.createHash('sha256').update(`${CODE}:ABCD2345`).digest('hex');
    expect(hashTrackingSecret(CODE, 'ABCD2345')).toBe(expected);
    expect(hashTrackingSecret(CODE, ' abcd-2345 ')).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the hash is bound to the dossier code', () => {
    expect(hashTrackingSecret(CODE, 'ABCD2345')).not.toBe(hashTrackingSecret('000.00.01.H13-260429-0008', 'ABCD2345'));
  });

  const stored = hashTrackingSecret(CODE, 'ABCD2345');
  test.each([
    ['the same secret', CODE, 'ABCD2345', stored, true],
    ['typed in lower case with a dash', CODE, 'abcd-2345', stored, true],
    ['an upper-case stored hash', CODE, 'ABCD2345', stored.toUpperCase(), true],
    ['another secret', CODE, 'ABCD2346', stored, false],
    ['another dossier', '000.00.01.H13-260429-0008', 'ABCD2345', stored, false],
    ['a malformed secret', CODE, 'ABCD234', stored, false],
    ['an empty stored hash', CODE, 'ABCD2345', '', false],
    ['a truncated stored hash', CODE, 'ABCD2345', stored.slice(0, 63), false],
    ['a stored hash that is not hex', CODE, 'ABCD2345', 'z'.repeat(64), false],
  ])('secretsMatch: %s → %s', (_label, code, secret, hash, expected) => {
    expect(secretsMatch(code, secret, hash)).toBe(expected);
  });
});
