import { cleanFileName, contentDisposition, sniffAllowedType } from './file-rules';

// The first bytes of each kind of content, by name (the test titles show the names).
const HEADS = {
  PDF: Buffer.from('%PDF-1.7\n'),
  ZIP: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]),
  OLE: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
  JPEG: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]),
  EXE: Buffer.from('MZ\x90\x00\x03\x00', 'latin1'),
  TEXT: Buffer.from('plain text'),
};
const { PDF, ZIP, OLE, JPEG, EXE, TEXT } = Object.fromEntries(Object.keys(HEADS).map((key) => [key, key])) as Record<keyof typeof HEADS, keyof typeof HEADS>;

test.each([
  ['DOSSIER_PAPER', PDF, 'to-khai.pdf', 'application/pdf'],
  ['DOSSIER_PAPER', PDF, 'to-khai-khong-duoi', 'application/pdf'],
  ['DOSSIER_PAPER', JPEG, 'cccd.jpeg', 'image/jpeg'],
  ['DOSSIER_PAPER', ZIP, 'don.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['DOSSIER_PAPER', ZIP, 'bang-ke.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['DOCUMENT', OLE, '78-KH-UBND.doc', 'application/msword'],
  ['DOCUMENT', ZIP, '78-KH-UBND.odt', 'application/vnd.oasis.opendocument.text'],
  // a ZIP whose name says no allowed type is not guessed
  ['DOSSIER_PAPER', ZIP, 'tai-lieu.zip', null],
  ['DOSSIER_PAPER', EXE, 'don.pdf', null],
  ['DOSSIER_RESULT', ZIP, 'ket-qua.docx', null],
  ['DOCUMENT', JPEG, 'scan.jpg', null],
  ['DOSSIER_PAPER', TEXT, 'ghi-chu.txt', null],
] as const)('%s: %s content named %s is %s', (kind, head, name, mime) => {
  expect(sniffAllowedType(kind, HEADS[head], name)?.mime ?? null).toBe(mime);
});

test.each([
  ['Tờ khai.pdf', 'Tờ khai.pdf'],
  ['C:\\Users\\lan\\Bản sao CCCD.jpg', 'Bản sao CCCD.jpg'],
  ['../../etc/passwd', 'passwd'],
  ['To\u0302\u0300 khai\u0000.pdf', 'Tồ khai.pdf'],
  ['   ', null],
  ['..', null],
  ['a'.repeat(256), null],
])('the stored name of %j is %j', (raw, stored) => {
  expect(cleanFileName(raw)).toBe(stored);
});

test('a download names the file in UTF-8, with an ASCII fallback without diacritics', () => {
  expect(contentDisposition('Quyết định 15/QĐ-UBND (bản ký).pdf'.replace('/', '-'))).toBe(
    `attachment; filename="Quyet dinh 15-QD-UBND (ban ky).pdf"; filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%2015-Q%C4%90-UBND%20%28b%E1%BA%A3n%20k%C3%BD%29.pdf`,
  );
});
