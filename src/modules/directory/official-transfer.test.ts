import { arrivalOf, careerOf, personOf, sideOf, transferKeyOf } from './official-transfer';

const day = (date: string) => new Date(`${date}T00:00:00.000Z`);
const VINH_LONG = '2b5e1f0a-86aa-4c1e-9d0b-000000000086';
const QUANG_TRI = '7d3c2b1a-44bb-4e2f-8a1c-000000000044';

describe('careerOf', () => {
  test.each([
    ['no postings', [], []],
    [
      'oldest first, the open posting ends on the effective day',
      [
        { agencyName: 'Sở Nội vụ', provinceName: 'Vĩnh Long', position: 'Phó Trưởng phòng', startedOn: day('2024-07-01'), endedOn: null, decisionNumber: '77/QĐ-SNV', note: null },
        { agencyName: 'Sở Nội vụ', provinceName: 'Vĩnh Long', position: 'Chuyên viên', startedOn: day('2019-01-02'), endedOn: day('2024-07-01'), decisionNumber: null, note: null },
      ],
      [
        { agencyName: 'Sở Nội vụ', provinceName: 'Vĩnh Long', position: 'Chuyên viên', startedOn: '2019-01-02', endedOn: '2024-07-01', decisionNumber: null, note: null },
        { agencyName: 'Sở Nội vụ', provinceName: 'Vĩnh Long', position: 'Phó Trưởng phòng', startedOn: '2024-07-01', endedOn: '2027-03-01', decisionNumber: '77/QĐ-SNV', note: null },
      ],
    ],
  ])('%s', (_case, history, expected) => {
    expect(careerOf(history, day('2027-03-01'))).toEqual(expected);
  });
});

test('the arrival is made of the request alone: same person, the career sent, then the new posting', () => {
  const person = personOf({
    personId: 'c0a8012e-0000-4000-8000-000000000001', birthDate: day('1990-05-17'), gender: 'FEMALE', idNumber: '086190004321',
    rankCode: '01.003', rankName: 'Chuyên viên', payStep: 4, payCoefficient: { toString: () => '3.33' }, phone: '0939123456',
  });
  const career = [{ agencyName: 'Sở Nội vụ', provinceName: 'Vĩnh Long', position: 'Chuyên viên', startedOn: '2019-01-02', endedOn: '2027-03-01', decisionNumber: null, note: null }];
  const { official, postings } = arrivalOf(
    { fullName: 'Huỳnh Thị Ngọc Hân', position: 'Chuyên viên chính', effectiveOn: day('2027-03-01'), decisionNumber: '412/QĐ-UBND', person, career },
    { tenantId: QUANG_TRI, provinceName: 'Quảng Trị', agencyId: 'a-qt', agencyName: 'Sở Nội vụ tỉnh Quảng Trị', email: 'htnhan@quangtri.gov.vn' },
  );
  expect(official).toMatchObject({
    tenantId: QUANG_TRI, personId: person.personId, searchName: 'huynh thi ngoc han', birthDate: day('1990-05-17'),
    payCoefficient: '3.33', email: 'htnhan@quangtri.gov.vn', agencyId: 'a-qt', position: 'Chuyên viên chính', status: 'WORKING',
  });
  expect(postings('o-qt').map((posting) => [posting.provinceName, posting.agencyId, posting.startedOn, posting.endedOn])).toEqual([
    ['Vĩnh Long', null, day('2019-01-02'), day('2027-03-01')],
    ['Quảng Trị', 'a-qt', day('2027-03-01'), null],
  ]);
});

describe('node ids and sides', () => {
  test.each([
    [`${VINH_LONG}:${QUANG_TRI}`, { tenantId: VINH_LONG, id: QUANG_TRI }],
    [QUANG_TRI, null],
    [`${VINH_LONG}:x`, null],
    ['', null],
  ])('transferKeyOf(%j)', (nodeId, expected) => {
    expect(transferKeyOf(nodeId)).toEqual(expected);
  });

  test.each([
    [VINH_LONG, 'OUTGOING'],
    [QUANG_TRI, 'INCOMING'],
  ])('province %s is %s', (provinceId, side) => {
    expect(sideOf({ tenantId: VINH_LONG, targetTenantId: QUANG_TRI }, provinceId)).toBe(side);
  });
});
