import { defaultAgenciesFor } from './default-assignment';

const agencies = [
  { code: '000.00.00.H17', name: 'Ủy ban nhân dân thành phố Đà Nẵng', kind: 'PEOPLES_COMMITTEE' },
  { code: '000.00.02.H17', name: 'Sở Nội vụ thành phố Đà Nẵng', kind: 'DEPARTMENT' },
  { code: '000.00.03.H17', name: 'Sở Tư pháp thành phố Đà Nẵng', kind: 'DEPARTMENT' },
  { code: '000.00.04.H17', name: 'Sở Tài chính thành phố Đà Nẵng', kind: 'DEPARTMENT' },
  { code: '000.00.05.H17', name: 'Sở Xây dựng thành phố Đà Nẵng', kind: 'DEPARTMENT' },
  { code: '000.00.06.H17', name: 'Sở Nông nghiệp và Môi trường thành phố Đà Nẵng', kind: 'DEPARTMENT' },
  { code: '000.00.08.H17', name: 'Sở Y tế thành phố Đà Nẵng', kind: 'DEPARTMENT' },
  { code: '000.00.09.H17', name: 'Sở Giáo dục và Đào tạo thành phố Đà Nẵng', kind: 'DEPARTMENT' },
  { code: '000.01.30.H17', name: 'Ủy ban nhân dân phường Hải Châu', kind: 'COMMUNE_COMMITTEE' },
  { code: '000.02.30.H17', name: 'Ủy ban nhân dân phường An Hải', kind: 'COMMUNE_COMMITTEE' },
];

describe('defaultAgenciesFor', () => {
  test.each([
    { level: 'COMMUNE', fieldName: 'Hộ tịch', expected: ['000.01.30.H17', '000.02.30.H17'] },
    { level: 'PROVINCE', fieldName: 'Lý lịch tư pháp', expected: ['000.00.03.H17'] },
    { level: 'PROVINCE', fieldName: 'Đất đai', expected: ['000.00.06.H17'] },
    { level: 'PROVINCE', fieldName: 'Hoạt động xây dựng', expected: ['000.00.05.H17'] },
    { level: 'PROVINCE', fieldName: 'Thành lập và hoạt động của doanh nghiệp', expected: ['000.00.04.H17'] },
    { level: 'PROVINCE', fieldName: 'Bảo trợ xã hội', expected: ['000.00.08.H17'] },
    { level: 'PROVINCE', fieldName: 'Người có công', expected: ['000.00.02.H17'] },
    { level: 'PROVINCE', fieldName: 'Giáo dục và Đào tạo', expected: ['000.00.09.H17'] },
    { level: 'PROVINCE', fieldName: 'Hàng hải', expected: [] },
  ] as const)('$level $fieldName', ({ level, fieldName, expected }) => {
    expect(defaultAgenciesFor({ level, fieldName }, agencies)).toEqual(expected);
  });
});
