// What is sent to the national public-service portal (Cổng Dịch vụ công quốc gia, DVCQG) on every
// change of status: the dossier's create/update payload with the step that caused it. Field names
// are the portal's own; every value is a string and a missing one is '' as the portal expects.
import { VIETNAM_UTC_OFFSET_MINUTES, wallClockOf } from '../../kernel/vietnam-time';
import { ACTION_NAME, NATIONAL_STATUS_CODE, type DossierAction, type DossierStatus } from './lifecycle';

/** yyyyMMddHHmmss in local time (UTC+7 by default); '' for null. */
export function formatPortalDate(instant: Date | null, utcOffsetMinutes: number = VIETNAM_UTC_OFFSET_MINUTES): string {
  if (instant === null) return '';
  if (Number.isNaN(instant.getTime())) throw new RangeError('formatPortalDate: invalid date');
  // the local wall clock without depending on the server's zone
  const local = wallClockOf(instant, utcOffsetMinutes);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return (
    pad(local.getUTCFullYear(), 4) +
    pad(local.getUTCMonth() + 1) +
    pad(local.getUTCDate()) +
    pad(local.getUTCHours()) +
    pad(local.getUTCMinutes()) +
    pad(local.getUTCSeconds())
  );
}

export interface DossierSnapshot {
  code: string;
  procedureCode: string;
  procedureName: string;
  fieldCode: string;
  fieldName: string;
  applicantName: string;
  applicantIdNumber: string | null;
  applicantType: 'CITIZEN' | 'BUSINESS' | 'STATE_BODY' | 'OTHER';
  applicantPhone: string | null;
  applicantEmail: string | null;
  applicantAddress: string | null;
  summary: string;
  channel: 'IN_PERSON' | 'ONLINE' | 'POSTAL';
  /** The status after the step being reported. */
  status: DossierStatus;
  receivedAt: Date | null;
  dueAt: Date | null;
  finishedAt: Date | null;
  returnedAt: Date | null;
  agencyCode: string;
  agencyName: string;
  handlerName: string | null;
}

export interface ProgressStep {
  /** SUBMIT: the applicant filed online (no lifecycle action yet). */
  action: DossierAction | 'SUBMIT';
  actorName: string | null;
  actorTitle: string | null;
  at: Date;
  stepStartedAt: Date;
  stepDueAt: Date | null;
  note: string | null;
}

/** The progress payload (tiến trình xử lý): one step of the processing log. */
export interface PortalProgress {
  MaHoSo: string;
  NguoiXuLy: string;
  ChucDanh: string;
  ThoiDiemXuLy: string;
  PhongBanXuLy: string;
  NoiDungXuLy: string;
  /** National status code after the step, '1'..'10'. */
  TrangThai: string;
  NgayBatDau: string;
  NgayKetThucTheoQuyDinh: string;
}

/** The create/update payload (đồng bộ hồ sơ) with the step that caused it. */
export interface PortalPayload {
  MaHoSo: string;
  MaTTHC: string;
  TenTTHC: string;
  MaLinhVuc: string;
  TenLinhVuc: string;
  /** 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích. */
  KenhThucHien: '1' | '2' | '3';
  ChuHoSo: string;
  /** 1 công dân, 2 doanh nghiệp, 3 cơ quan nhà nước, 4 tổ chức khác. */
  LoaiDoiTuong: '1' | '2' | '3' | '4';
  /** Optional on the portal and not the ID number; left ''. */
  MaDoiTuong: string;
  /** The applicant's ID number (CCCD, or tax code of a business). */
  SoGiayToChuHoSo: string;
  SoDienThoai: string;
  Email: string;
  DiaChi: string;
  TrichYeuHoSo: string;
  NgayTiepNhan: string;
  NgayHenTra: string;
  NgayKetThucXuLy: string;
  NgayTra: string;
  /** National status code, '1'..'10'. */
  TrangThaiHoSo: string;
  DonViXuLy: string;
  NguoiXuLy: string;
  QuaTrinhXuLy: PortalProgress;
}

const CHANNEL_CODE: Record<DossierSnapshot['channel'], PortalPayload['KenhThucHien']> = {
  IN_PERSON: '1',
  ONLINE: '2',
  POSTAL: '3',
};

const APPLICANT_TYPE_CODE: Record<DossierSnapshot['applicantType'], PortalPayload['LoaiDoiTuong']> = {
  CITIZEN: '1',
  BUSINESS: '2',
  STATE_BODY: '3',
  OTHER: '4',
};

function progressContent(step: ProgressStep): string {
  const note = step.note?.trim();
  const label = step.action === 'SUBMIT' ? 'Nộp hồ sơ trực tuyến' : ACTION_NAME[step.action];
  return note ? `${label}: ${note}` : label;
}

export function portalPayload(snapshot: DossierSnapshot, step: ProgressStep): PortalPayload {
  const statusCode = String(NATIONAL_STATUS_CODE[snapshot.status]);
  return {
    MaHoSo: snapshot.code,
    MaTTHC: snapshot.procedureCode,
    TenTTHC: snapshot.procedureName,
    MaLinhVuc: snapshot.fieldCode,
    TenLinhVuc: snapshot.fieldName,
    KenhThucHien: CHANNEL_CODE[snapshot.channel],
    ChuHoSo: snapshot.applicantName,
    LoaiDoiTuong: APPLICANT_TYPE_CODE[snapshot.applicantType],
    MaDoiTuong: '',
    SoGiayToChuHoSo: snapshot.applicantIdNumber ?? '',
    SoDienThoai: snapshot.applicantPhone ?? '',
    Email: snapshot.applicantEmail ?? '',
    DiaChi: snapshot.applicantAddress ?? '',
    TrichYeuHoSo: snapshot.summary,
    NgayTiepNhan: formatPortalDate(snapshot.receivedAt),
    NgayHenTra: formatPortalDate(snapshot.dueAt),
    NgayKetThucXuLy: formatPortalDate(snapshot.finishedAt),
    NgayTra: formatPortalDate(snapshot.returnedAt),
    TrangThaiHoSo: statusCode,
    DonViXuLy: snapshot.agencyName,
    NguoiXuLy: snapshot.handlerName ?? '',
    QuaTrinhXuLy: {
      MaHoSo: snapshot.code,
      NguoiXuLy: step.actorName ?? '',
      ChucDanh: step.actorTitle ?? '',
      ThoiDiemXuLy: formatPortalDate(step.at),
      // optional; the snapshot knows the agency, not the department inside it
      PhongBanXuLy: '',
      NoiDungXuLy: progressContent(step),
      TrangThai: statusCode,
      NgayBatDau: formatPortalDate(step.stepStartedAt),
      NgayKetThucTheoQuyDinh: formatPortalDate(step.stepDueAt),
    },
  };
}
