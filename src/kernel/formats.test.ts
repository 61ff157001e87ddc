import { cccd, CCCD_MESSAGE, isAgencyCode, isCccd, normalisePhone, phoneNumber, PHONE_MESSAGE } from './formats';

describe('normalisePhone: the one rule for Vietnamese phone numbers', () => {
  test.each([
    // mobiles: 10 digits, network codes 03, 05, 07, 08, 09
    ['0939123456', '0939123456'],
    ['0939 123 456', '0939123456'],
    ['0939.123.456', '0939123456'],
    ['0939-123-456', '0939123456'],
    ['+84939123456', '0939123456'],
    ['+84 939 123 456', '0939123456'],
    ['+84 (0) 939 123 456', '0939123456'],
    ['(+84) 939 123 456', '0939123456'],
    ['0352 111 222', '0352111222'],
    ['0561234567', '0561234567'],
    ['0701234567', '0701234567'],
    ['0812 345 678', '0812345678'],
    // landlines: 11 digits, 02 and the area code (292 Cần Thơ, 24 Hà Nội, 28 Hồ Chí Minh)
    ['0292 3820 123', '02923820123'],
    ['(0292) 3.820.123', '02923820123'],
    ['024 3825 1234', '02438251234'],
    ['+84 28 3829 1234', '02838291234'],
    ['+84 292 3820 123', '02923820123'],
  ])('%j → %s', (text, expected) => {
    expect(normalisePhone(text)).toBe(expected);
  });

  test.each([
    ['093912345', 'nine digits'],
    ['09391234567', 'an 11-digit mobile'],
    ['0292382012', 'a 10-digit landline (before 2017)'],
    ['01691234567', 'an old 11-digit 01x mobile, renumbered in 2018'],
    ['0412345678', 'network code 04 does not exist'],
    ['0612345678', 'network code 06 does not exist'],
    ['939123456', 'no leading 0'],
    ['+8493912345', '+84 with eight digits'],
    ['84939123456', '84 without the plus'],
    ['+1 202 555 0100', 'another country'],
    ['0939abc456', 'letters'],
    ['0939/123/456', 'slashes'],
    ['', 'empty'],
  ])('%j is refused (%s)', (text) => {
    expect(normalisePhone(text)).toBeNull();
  });

  test('phoneNumber() normalises, or answers the Vietnamese message', () => {
    expect(phoneNumber().parse('+84 939 123 456')).toBe('0939123456');
    const refused = phoneNumber().safeParse('0412345678');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0].message).toBe(PHONE_MESSAGE);
    expect(phoneNumber('không phải số điện thoại hợp lệ').safeParse(12).error?.issues[0].message).toBe('không phải số điện thoại hợp lệ');
  });
});

describe('CCCD', () => {
  test.each([
    ['092195001234', true], // born 1995 in Cần Thơ (092), male
    ['048090001122', true],
    ['001301012345', true], // female born 2001 in Hà Nội
    ['09219500123', false], // 11 digits
    ['0921950012345', false],
    ['092 195 001 234', false],
    ['09219500123A', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(isCccd(text)).toBe(expected);
    expect(cccd().safeParse(text).success).toBe(expected);
  });

  test('the message says what is expected', () => {
    expect(cccd().safeParse('09208600421').error?.issues[0].message).toBe(CCCD_MESSAGE);
  });
});

describe('agency identifier codes', () => {
  test.each([
    ['000.00.03.H13', true], // Sở Tư pháp, Cần Thơ
    ['000.00.01.H22', true],
    ['000.01.30.H62', true],
    ['000.00.03.h13', false],
    ['000.00.3.H13', false],
    ['000.00.03.HH3', false],
    ['000.00.03.H13.', false],
    ['G22.35', false], // a ministry-style identifier is not a province agency's code
    ['92', false], // a GSO code
  ])('%j → %s', (text, expected) => {
    expect(isAgencyCode(text)).toBe(expected);
  });
});
