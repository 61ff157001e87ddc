import { clientLimitOf, keyDigest, msUntilVietnamMidnight, provinceShareOf, refusalOf } from './fair-share';
import type { Caller, ProvinceRef } from '../context/caller';

const quangTri: ProvinceRef = { id: '2b5c0a8e-6a43-4f7a-9d7e-5f1d1a3c9b10', slug: 'quang-tri', name: 'Tỉnh Quảng Trị', gsoCode: '44', status: 'ACTIVE' };

describe('clientLimitOf: whom an operation is counted against', () => {
  test.each<{ case: string; caller: Caller; address: string; expected: ReturnType<typeof clientLimitOf> }>([
    { case: 'anonymous: its address, hashed', caller: { kind: 'anonymous', province: quangTri }, address: '113.161.44.7', expected: { kind: 'address', key: keyDigest('113.161.44.7') } },
    { case: 'a citizen: the subject in the province', caller: { kind: 'citizen', subject: 'cccd:044203001234', province: quangTri, verifiedByVneid: false }, address: '113.161.44.7', expected: { kind: 'subject', key: `${quangTri.id}:${keyDigest('cccd:044203001234')}` } },
    { case: 'a ministry: the subject, in no province', caller: { kind: 'ministry', subject: 'bo-noi-vu', province: null }, address: '10.0.0.1', expected: { kind: 'subject', key: `-:${keyDigest('bo-noi-vu')}` } },
    { case: 'the system: not counted', caller: { kind: 'system', reason: 'portal sync', province: quangTri }, address: 'system', expected: null },
  ])('$case', ({ caller, address, expected }) => {
    const limit = clientLimitOf(caller, address);
    expect(limit).toEqual(expected);
    // Nothing personal in a key: neither the address nor the CCCD.
    expect(limit?.key ?? '').not.toContain(address);
    expect(limit?.key ?? '').not.toContain('044203001234');
  });
});

describe('msUntilVietnamMidnight: when a daily quota starts again', () => {
  test.each([
    { now: '2026-12-01T16:59:59.000Z', expected: 1000 }, // 23:59:59 in Hà Nội
    { now: '2026-12-01T17:00:00.000Z', expected: 86_400_000 }, // midnight exactly: a whole day
    { now: '2026-12-02T05:00:00.000Z', expected: 12 * 3_600_000 }, // noon
  ])('$now', ({ now, expected }) => expect(msUntilVietnamMidnight(new Date(now))).toBe(expected));
});

describe('refusalOf: what the client reads', () => {
  test.each([
    { limit: 'address' as const, seconds: 42, message: 'Có quá nhiều yêu cầu từ địa chỉ của bạn. Vui lòng thử lại sau 42 giây.' },
    { limit: 'subject' as const, seconds: 5, message: 'Tài khoản đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau 5 giây.' },
    { limit: 'province' as const, seconds: 60, message: 'Tỉnh Quảng Trị đang nhận quá nhiều yêu cầu. Vui lòng thử lại sau 60 giây.' },
    { limit: 'quota' as const, seconds: 7200, message: 'Tỉnh Quảng Trị đã dùng hết hạn mức yêu cầu trong ngày. Vui lòng thử lại sau 120 phút.' },
  ])('$limit', ({ limit, seconds, message }) => {
    const error = refusalOf(limit, seconds, quangTri.name);
    expect(error.message).toBe(message);
    expect(error.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: seconds, limit });
  });
});

describe("provinceShareOf: a province's operations in flight per process", () => {
  test.each([
    { pool: 10, configured: undefined, expected: 3 },
    { pool: 5, configured: undefined, expected: 2 },
    { pool: 1, configured: undefined, expected: 1 },
    { pool: 10, configured: 8, expected: 8 },
  ])('pool $pool, configured $configured', ({ pool, configured, expected }) =>
    expect(provinceShareOf({ DATABASE_POOL_SIZE: pool, PROVINCE_MAX_CONCURRENT: configured })).toBe(expected),
  );
});
