import { jwtVerify } from 'jose';
import { loadConfig } from '../config';
import {
  buildDevTokenClaims,
  DevTokenError,
  refuseInProduction,
  resolveProvince,
  signDevToken,
  type DevTokenArgs,
  type SelectableProvince,
} from './dev-token';

const CAN_THO = '7b4f1a52-0000-4000-8000-000000000092';
const SOC_TRANG = '7b4f1a52-0000-4000-8000-000000000094';
const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'dev-token-test-secret-0123456789abcdef' } as NodeJS.ProcessEnv);

describe('buildDevTokenClaims', () => {
  test.each<[string, DevTokenArgs, object]>([
    ['citizen', { province: CAN_THO, roles: ['citizen'] }, { roles: ['citizen'], province: CAN_THO }],
    ['citizen signed in through VNeID', { province: CAN_THO, roles: ['citizen'], amr: [' VNeID', 'vneid'] }, { roles: ['citizen'], province: CAN_THO, amr: ['vneid'] }],
    [
      'official with an agency',
      { province: CAN_THO, roles: ['official'], agency: '000.00.01.H13' },
      { roles: ['official'], province: CAN_THO, agency: '000.00.01.H13' },
    ],
    [
      'official with back-office roles, in a fixed order',
      { province: CAN_THO, roles: ['PROVINCE_ADMIN', 'official', 'handler', 'handler'] },
      { roles: ['official', 'handler', 'province_admin'], province: CAN_THO },
    ],
    [
      'back-office roles alone make an official',
      { province: CAN_THO, roles: ['receiving_clerk', 'leader', 'document_clerk'] },
      { roles: ['official', 'receiving_clerk', 'leader', 'document_clerk'], province: CAN_THO },
    ],
    ['ministry, no province', { roles: ['ministry'] }, { roles: ['ministry'] }],
    ['platform admin, no province', { roles: ['platform_admin'] }, { roles: ['platform_admin'] }],
    [
      'platform admin acting in a province',
      { province: CAN_THO, roles: ['platform_admin'] },
      { roles: ['platform_admin'], province: CAN_THO },
    ],
  ])('%s', (_name, args, expected) => {
    const claims = buildDevTokenClaims(args);
    expect(claims).toEqual({ sub: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/), ...expected });
  });

  test('the default subject is deterministic and differs between callers', () => {
    const handler = buildDevTokenClaims({ province: CAN_THO, roles: ['official', 'handler'] });
    expect(buildDevTokenClaims({ province: CAN_THO, roles: ['handler', 'official'] }).sub).toBe(handler.sub);
    expect(buildDevTokenClaims({ province: CAN_THO, roles: ['official', 'leader'] }).sub).not.toBe(handler.sub);
    expect(buildDevTokenClaims({ province: SOC_TRANG, roles: ['official', 'handler'] }).sub).not.toBe(handler.sub);
    expect(buildDevTokenClaims({ province: CAN_THO, roles: ['official', 'handler'], agency: '000.00.01.H13' }).sub).not.toBe(handler.sub);
  });

  test('a given subject is kept', () => {
    const sub = '11111111-2222-4333-8444-555555555555';
    expect(buildDevTokenClaims({ province: CAN_THO, roles: ['official'], sub }).sub).toBe(sub);
  });

  test.each<[string, DevTokenArgs, RegExp]>([
    ['an unknown role', { province: CAN_THO, roles: ['official', 'mayor'] }, /Unknown role "mayor"/],
    ['no role', { province: CAN_THO, roles: [] }, /needs a role/],
    ['two caller kinds', { province: CAN_THO, roles: ['citizen', 'official'] }, /one caller kind/],
    ['back-office roles on a citizen', { province: CAN_THO, roles: ['citizen', 'handler'] }, /belong to officials/],
    ['back-office roles on a ministry', { roles: ['ministry', 'leader'] }, /belong to officials/],
    ['a citizen without a province', { roles: ['citizen'] }, /citizen token needs a province/],
    ['an official without a province', { roles: ['official'] }, /official token needs a province/],
    ['a province that is not a uuid', { province: '92', roles: ['official'] }, /tenant uuid/],
    ['an agency on a citizen', { province: CAN_THO, roles: ['citizen'], agency: '000.00.01.H13' }, /applies to officials/],
    ['a blank subject', { province: CAN_THO, roles: ['citizen'], sub: ' ' }, /must not be blank/],
    ['a blank authentication method', { province: CAN_THO, roles: ['citizen'], amr: ['vneid', ' '] }, /amr\) must not be blank/],
  ])('refuses %s', (_name, args, message) => {
    expect(() => buildDevTokenClaims(args)).toThrow(DevTokenError);
    expect(() => buildDevTokenClaims(args)).toThrow(message);
  });
});

describe('refuseInProduction', () => {
  test('refuses NODE_ENV=production', () => {
    expect(() => refuseInProduction('production')).toThrow(DevTokenError);
    expect(() => refuseInProduction('production')).toThrow(/NODE_ENV=production/);
  });

  test.each([undefined, 'development', 'test'])('allows NODE_ENV=%s', (nodeEnv) => {
    expect(() => refuseInProduction(nodeEnv)).not.toThrow();
  });

  test('signDevToken refuses a production configuration too', async () => {
    const claims = buildDevTokenClaims({ roles: ['ministry'] });
    await expect(signDevToken(claims, { ...config, NODE_ENV: 'production' })).rejects.toThrow(/NODE_ENV=production/);
  });
});

describe('signDevToken', () => {
  test('signs HS256 with the issuer, audience and expiry the server checks', async () => {
    const claims = buildDevTokenClaims({ province: CAN_THO, roles: ['official', 'province_admin'], agency: '000.00.01.H13' });
    const token = await signDevToken(claims, config, '2h');
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(config.jwtSecret), {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject(claims);
    expect(payload.exp! - payload.iat!).toBe(2 * 3600);
  });

  test('refuses a configuration without a shared secret', async () => {
    const jwksOnly = { ...config, jwtSecret: undefined };
    await expect(signDevToken(buildDevTokenClaims({ roles: ['ministry'] }), jwksOnly)).rejects.toThrow(/No JWT_SECRET/);
  });

  test('refuses a malformed time to live', async () => {
    await expect(signDevToken(buildDevTokenClaims({ roles: ['ministry'] }), config, 'soon')).rejects.toThrow(DevTokenError);
  });
});

describe('resolveProvince', () => {
  const manifests: SelectableProvince[] = [
    { id: CAN_THO, slug: 'can-tho', gsoCode: '92', status: 'active' },
    { id: SOC_TRANG, slug: 'soc-trang', gsoCode: '94', status: 'merged' },
    // a code reused after the reorganisation: the active holder wins
    { id: '7b4f1a52-0000-4000-8000-000000000001', slug: 'old-holder', gsoCode: '86', status: 'merged' },
    { id: '7b4f1a52-0000-4000-8000-000000000086', slug: 'vinh-long', gsoCode: '86', status: 'active' },
  ];

  test.each([
    ['92', CAN_THO],
    ['can-tho', CAN_THO],
    ['Can-Tho', CAN_THO],
    [CAN_THO, CAN_THO],
    [CAN_THO.toUpperCase(), CAN_THO],
    ['soc-trang', SOC_TRANG],
    [SOC_TRANG, SOC_TRANG],
    ['86', '7b4f1a52-0000-4000-8000-000000000086'],
  ])('%s → %s', (selector, id) => {
    expect(resolveProvince(manifests, selector)).toBe(id);
  });

  test('a code held only by a merged province is refused, naming it', () => {
    expect(() => resolveProvince(manifests, '94')).toThrow(/No active province has code 94 \(merged: soc-trang\)/);
  });

  test('an unknown province is refused, listing the known ones', () => {
    expect(() => resolveProvince(manifests, 'ha-noi')).toThrow(/Unknown province "ha-noi" \(known: 92 can-tho/);
  });
});
