import { characterCount, normaliseInputText, tooLongMessage } from './input-text';

describe('normaliseInputText', () => {
  test.each<[string, string, number, string | null]>([
    ['NFD becomes NFC', 'Sở Tư pháp'.normalize('NFD'), 100, 'Sở Tư pháp'],
    ['NFC stays', 'Nguyễn Thị Ánh Tuyết', 100, 'Nguyễn Thị Ánh Tuyết'],
    // "ệ" is three code points in NFD and one in NFC: the cap counts what is stored
    ['counted after NFC', 'Việt Nam'.normalize('NFD'), 8, 'Việt Nam'],
    ['one over the cap', 'Việt Nam!', 8, null],
    ['at the cap', 'x'.repeat(1000), 1000, 'x'.repeat(1000)],
    ['over the cap', 'x'.repeat(1001), 1000, null],
    // an emoji is one character (two UTF-16 units), as PostgreSQL counts it
    ['characters, not UTF-16 units', '😀😀😀', 3, '😀😀😀'],
    ['far over the cap, refused before normalising', 'x'.repeat(700_000), 1000, null],
    ['empty', '', 1, ''],
  ])('%s', (_case, text, maxLength, expected) => {
    const result = normaliseInputText(text, maxLength);
    expect(result.ok ? result.text : null).toBe(expected);
  });

  test('characterCount counts code points', () => {
    expect(characterCount('Đà Nẵng')).toBe(7);
    expect(characterCount('Đà Nẵng'.normalize('NFD'))).toBe(10);
    expect(characterCount('𠀧')).toBe(1);
  });

  test('the message names the field and the cap, in Vietnamese', () => {
    expect(tooLongMessage('reason', 1000)).toBe('Trường reason dài quá 1.000 ký tự cho phép');
  });
});
