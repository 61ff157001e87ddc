import { formatPortalDate, portalPayload, type DossierSnapshot, type ProgressStep } from './portal-payload';

describe('formatPortalDate', () => {
  test.each([
    ['2026-04-29T02:15:30Z', undefined, '20260429091530'],
    // the UTC day boundary: 16:59:59 UTC is still the 29th locally, 17:00 UTC is the 30th
    ['2026-04-29T16:59:59Z', undefined, '20260429235959'],
    ['2026-04-29T17:00:00Z', undefined, '20260430000000'],
    // and the local day starts at 17:00 UTC the day before
    ['2026-04-28T23:30:00Z', undefined, '20260429063000'],
    ['2025-12-31T17:00:00Z', undefined, '20260101000000'],
    ['2028-02-28T17:00:00Z', undefined, '20280229000000'],
    ['2026-04-29T02:15:30.999Z', undefined, '20260429091530'],
    ['2026-04-29T02:15:30Z', 420, '20260429091530'],
    ['2026-04-29T02:15:30Z', 0, '20260429021530'],
    ['2026-04-29T17:00:00Z', 0, '20260429170000'],
  ])('%s at offset %p → %s', (iso, offset, expected) => {
    expect(formatPortalDate(new Date(iso), offset)).toBe(expected);
  });

  test('null → empty string', () => {
    expect(formatPortalDate(null)).toBe('');
    expect(formatPortalDate(null, 0)).toBe('');
  });

  test('an invalid date is a bug, not an empty field', () => {
    expect(() => formatPortalDate(new Date('not a date'))).toThrow(RangeError);
  });
});

describe('portalPayload', () => {
  // A fixture: a criminal-record certificate requested in person in Cần Thơ.
  const snapshot: DossierSnapshot = {
    code: '000.00.05.H13-260429-0007',
    procedureCode: '1.004227',
    procedureName: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam',
    fieldCode: 'LLTP',
    fieldName: 'Lý lịch tư pháp',
    applicantName: 'Nguyễn Thị Ngọc Trâm',
    applicantIdNumber: '092190001234',
    applicantType: 'CITIZEN',
    applicantPhone: '0907123456',
    applicantEmail: 'ngoctram@example.vn',
    applicantAddress: 'Số 12 đường 30 Tháng 4, phường Ninh Kiều, thành phố Cần Thơ',
    summary: 'Đề nghị cấp Phiếu lý lịch tư pháp số 1',
    channel: 'IN_PERSON',
    status: 'IN_PROGRESS',
    receivedAt: new Date('2026-04-29T02:15:30Z'),
    dueAt: new Date('2026-05-04T09:59:00Z'),
    finishedAt: null,
    returnedAt: null,
    agencyCode: '000.00.05.H13',
    agencyName: 'Sở Tư pháp thành phố Cần Thơ',
    handlerName: 'Trần Văn Phúc',
  };
  const step: ProgressStep = {
    action: 'START_PROCESSING',
    actorName: 'Lê Thị Hồng Nhung',
    actorTitle: 'Chuyên viên Bộ phận Một cửa',
    at: new Date('2026-04-29T02:20:00Z'),
    stepStartedAt: new Date('2026-04-29T02:15:30Z'),
    stepDueAt: new Date('2026-04-29T04:30:00Z'),
    note: 'Chuyển phòng Hành chính tư pháp',
  };

  test('a received dossier moved to processing', () => {
    expect(portalPayload(snapshot, step)).toEqual({
      MaHoSo: '000.00.05.H13-260429-0007',
      MaTTHC: '1.004227',
      TenTTHC: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam',
      MaLinhVuc: 'LLTP',
      TenLinhVuc: 'Lý lịch tư pháp',
      KenhThucHien: '1',
      ChuHoSo: 'Nguyễn Thị Ngọc Trâm',
      LoaiDoiTuong: '1',
      MaDoiTuong: '',
      SoGiayToChuHoSo: '092190001234',
      SoDienThoai: '0907123456',
      Email: 'ngoctram@example.vn',
      DiaChi: 'Số 12 đường 30 Tháng 4, phường Ninh Kiều, thành phố Cần Thơ',
      TrichYeuHoSo: 'Đề nghị cấp Phiếu lý lịch tư pháp số 1',
      NgayTiepNhan: '20260429091530',
      NgayHenTra: '20260504165900',
      NgayKetThucXuLy: '',
      NgayTra: '',
      TrangThaiHoSo: '4',
      DonViXuLy: 'Sở Tư pháp thành phố Cần Thơ',
      NguoiXuLy: 'Trần Văn Phúc',
      QuaTrinhXuLy: {
        MaHoSo: '000.00.05.H13-260429-0007',
        NguoiXuLy: 'Lê Thị Hồng Nhung',
        ChucDanh: 'Chuyên viên Bộ phận Một cửa',
        ThoiDiemXuLy: '20260429092000',
        PhongBanXuLy: '',
        NoiDungXuLy: 'Chuyển xử lý: Chuyển phòng Hành chính tư pháp',
        TrangThai: '4',
        NgayBatDau: '20260429091530',
        NgayKetThucTheoQuyDinh: '20260429113000',
      },
    });
  });

  test('the 12-digit CCCD keeps its leading zero', () => {
    expect(portalPayload(snapshot, step).SoGiayToChuHoSo).toBe('092190001234');
  });

  test('a returned dossier: finished and returned dates, status 10', () => {
    const payload = portalPayload(
      {
        ...snapshot,
        status: 'RETURNED',
        finishedAt: new Date('2026-05-03T17:30:00Z'),
        returnedAt: new Date('2026-05-04T01:05:00Z'),
      },
      {
        action: 'RETURN_RESULT',
        actorName: 'Lê Thị Hồng Nhung',
        actorTitle: null,
        at: new Date('2026-05-04T01:05:00Z'),
        stepStartedAt: new Date('2026-05-03T17:30:00Z'),
        stepDueAt: null,
        note: null,
      },
    );
    expect(payload).toMatchObject({
      NgayKetThucXuLy: '20260504003000',
      NgayTra: '20260504080500',
      TrangThaiHoSo: '10',
      QuaTrinhXuLy: { ChucDanh: '', NoiDungXuLy: 'Trả kết quả', TrangThai: '10', NgayKetThucTheoQuyDinh: '' },
    });
  });

  test('missing optional values are empty strings, never null', () => {
    const payload = portalPayload(
      {
        ...snapshot,
        status: 'SUBMITTED',
        applicantIdNumber: null,
        applicantPhone: null,
        applicantEmail: null,
        applicantAddress: null,
        receivedAt: null,
        dueAt: null,
        handlerName: null,
      },
      { ...step, action: 'REQUEST_WITHDRAWAL', actorName: null, actorTitle: null, stepDueAt: null, note: '   ' },
    );
    expect(payload).toMatchObject({
      SoGiayToChuHoSo: '',
      SoDienThoai: '',
      Email: '',
      DiaChi: '',
      NgayTiepNhan: '',
      NgayHenTra: '',
      NguoiXuLy: '',
      TrangThaiHoSo: '1',
      QuaTrinhXuLy: { NguoiXuLy: '', ChucDanh: '', NoiDungXuLy: 'Yêu cầu rút hồ sơ', NgayKetThucTheoQuyDinh: '' },
    });
    const { QuaTrinhXuLy, ...fields } = payload;
    for (const value of [...Object.values(fields), ...Object.values(QuaTrinhXuLy)]) expect(typeof value).toBe('string');
  });

  test.each([
    ['IN_PERSON', '1'],
    ['ONLINE', '2'],
    ['POSTAL', '3'],
  ] as const)('channel %s → KenhThucHien %s', (channel, code) => {
    expect(portalPayload({ ...snapshot, channel }, step).KenhThucHien).toBe(code);
  });

  test.each([
    ['CITIZEN', '1'],
    ['BUSINESS', '2'],
    ['STATE_BODY', '3'],
    ['OTHER', '4'],
  ] as const)('applicant type %s → LoaiDoiTuong %s', (applicantType, code) => {
    expect(portalPayload({ ...snapshot, applicantType }, step).LoaiDoiTuong).toBe(code);
  });

  test.each([
    ['SUBMITTED', '1'],
    ['RECEIVED', '2'],
    ['REFUSED', '3'],
    ['IN_PROGRESS', '4'],
    ['SUPPLEMENT_REQUESTED', '5'],
    ['AWAITING_PAYMENT', '6'],
    ['WITHDRAWAL_REQUESTED', '7'],
    ['STOPPED', '8'],
    ['RESULT_READY', '9'],
    ['RETURNED', '10'],
  ] as const)('status %s → TrangThaiHoSo %s', (status, code) => {
    const payload = portalPayload({ ...snapshot, status }, step);
    expect(payload.TrangThaiHoSo).toBe(code);
    expect(payload.QuaTrinhXuLy.TrangThai).toBe(code);
  });
});
