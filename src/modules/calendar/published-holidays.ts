// The days off and swapped working days the Prime Minister actually approved, year by year, for
// cán bộ, công chức, viên chức (the one-stop shops keep their hours). The Labour Code fixes the
// holidays, but the Prime Minister picks the Tết days and the day next to 2 September and may swap a
// working day against a Saturday: rules cannot know those choices (Tết 2024 ran Thu 8 – Wed 14 Feb,
// where the rules give Fri 9 – Thu 15), so a year announced here is pre-filled from here and
// holiday-rules.ts is the fallback for the others.
//
// Pure data. Every row is a weekday off (DAY_OFF) or a weekend day worked (WORKING_DAY); weekends
// inside a holiday are off anyway and are not listed. Years before 2021 follow the Labour Code 2012
// (1 January and 2 September were one day each); from 2021 the Labour Code 2019 art. 112.
// A document number marked `verify` was not checked against the published text; the days were.
import { holidaysOf, type CalendarDay } from './holiday-rules';

export interface PublishedYear {
  /** The approving decision or notice, as published. */
  source: string;
  days: readonly CalendarDay[];
}

const off = (date: string, name: string): CalendarDay => ({ date, kind: 'DAY_OFF', name });
const worked = (date: string, name: string): CalendarDay => ({ date, kind: 'WORKING_DAY', name });

const NEW_YEAR = 'Tết Dương lịch';
const TET = 'Tết Nguyên đán';
const TET_MAKE_UP = 'Nghỉ bù Tết Nguyên đán';
const HUNG_KINGS = 'Giỗ Tổ Hùng Vương';
const REUNIFICATION = 'Ngày Giải phóng miền Nam';
const LABOUR_DAY = 'Ngày Quốc tế Lao động';
const NATIONAL_DAY = 'Quốc khánh';

export const PUBLISHED_HOLIDAYS: Readonly<Record<number, PublishedYear>> = Object.freeze({
  // Tết Canh Tý: Thu 23/1 (29 tháng Chạp) to Wed 29/1 (mùng 5), 7 days.
  2020: {
    source: 'Thông báo của Bộ LĐTBXH về nghỉ Tết Âm lịch và Quốc khánh năm 2020, theo ý kiến của Thủ tướng Chính phủ (số văn bản: verify)',
    days: [
      off('2020-01-01', NEW_YEAR),
      off('2020-01-23', TET), off('2020-01-24', TET), off('2020-01-27', TET), off('2020-01-28', TET_MAKE_UP), off('2020-01-29', TET_MAKE_UP),
      off('2020-04-02', HUNG_KINGS),
      off('2020-04-30', REUNIFICATION), off('2020-05-01', LABOUR_DAY),
      off('2020-09-02', NATIONAL_DAY),
    ],
  },
  // Tết Tân Sửu: Wed 10/2 (29 tháng Chạp) to Tue 16/2, 7 days. Quốc khánh Thu 2 – Sun 5/9.
  2021: {
    source: 'Thông báo của Bộ LĐTBXH về nghỉ Tết Âm lịch và Quốc khánh năm 2021, theo ý kiến của Thủ tướng Chính phủ (số văn bản: verify)',
    days: [
      off('2021-01-01', NEW_YEAR),
      off('2021-02-10', TET), off('2021-02-11', TET), off('2021-02-12', TET), off('2021-02-15', TET_MAKE_UP), off('2021-02-16', TET_MAKE_UP),
      off('2021-04-21', HUNG_KINGS),
      off('2021-04-30', REUNIFICATION), off('2021-05-03', `Nghỉ bù ${LABOUR_DAY}`),
      off('2021-09-02', NATIONAL_DAY), off('2021-09-03', NATIONAL_DAY),
    ],
  },
  // Tết Nhâm Dần: Mon 31/1 (29 tháng Chạp) to Fri 4/2, with the weekends Sat 29/1 – Sun 6/2, 9 days.
  2022: {
    source: 'Thông báo của Bộ LĐTBXH về nghỉ Tết Âm lịch và Quốc khánh năm 2022, theo ý kiến của Thủ tướng Chính phủ (số văn bản: verify)',
    days: [
      off('2022-01-03', `Nghỉ bù ${NEW_YEAR}`),
      off('2022-01-31', TET), off('2022-02-01', TET), off('2022-02-02', TET), off('2022-02-03', TET), off('2022-02-04', TET),
      off('2022-04-11', `Nghỉ bù ${HUNG_KINGS}`),
      off('2022-05-02', `Nghỉ bù ${REUNIFICATION}`), off('2022-05-03', `Nghỉ bù ${LABOUR_DAY}`),
      off('2022-09-01', NATIONAL_DAY), off('2022-09-02', NATIONAL_DAY),
    ],
  },
  // Tết Quý Mão: Fri 20/1 (29 tháng Chạp) to Thu 26/1, 7 days. 29/4 – 3/5 and 1 – 4/9 without swaps.
  2023: {
    source: 'Ý kiến của Phó Thủ tướng Vũ Đức Đam đồng ý đề nghị của Bộ LĐTBXH về nghỉ Tết Âm lịch (20/1 – 26/1/2023) và Quốc khánh năm 2023 (số văn bản: verify)',
    days: [
      off('2023-01-02', `Nghỉ bù ${NEW_YEAR}`),
      off('2023-01-20', TET), off('2023-01-23', TET), off('2023-01-24', TET), off('2023-01-25', TET_MAKE_UP), off('2023-01-26', TET_MAKE_UP),
      off('2023-05-01', LABOUR_DAY), off('2023-05-02', `Nghỉ bù ${HUNG_KINGS}`), off('2023-05-03', `Nghỉ bù ${REUNIFICATION}`),
      off('2023-09-01', NATIONAL_DAY), off('2023-09-04', `Nghỉ bù ${NATIONAL_DAY}`),
    ],
  },
  // Tết Giáp Thìn: Thu 8/2 (29 tháng Chạp) to Wed 14/2, 7 days. 30/4: Mon 29/4 swapped against Sat 4/5.
  2024: {
    source: 'Thông báo của Bộ LĐTBXH về nghỉ Tết Âm lịch và Quốc khánh năm 2024, và ý kiến của Thủ tướng Chính phủ đồng ý hoán đổi ngày làm việc 29/4 sang 4/5/2024 (số văn bản: verify)',
    days: [
      off('2024-01-01', NEW_YEAR),
      off('2024-02-08', TET), off('2024-02-09', TET), off('2024-02-12', TET), off('2024-02-13', TET_MAKE_UP), off('2024-02-14', TET_MAKE_UP),
      off('2024-04-18', HUNG_KINGS),
      off('2024-04-29', 'Nghỉ hoán đổi (làm bù thứ Bảy 04/5/2024)'), off('2024-04-30', REUNIFICATION), off('2024-05-01', LABOUR_DAY),
      worked('2024-05-04', 'Làm bù cho thứ Hai 29/4/2024'),
      off('2024-09-02', NATIONAL_DAY), off('2024-09-03', NATIONAL_DAY),
    ],
  },
  // Tết Ất Tỵ: Mon 27/1 (28 tháng Chạp) to Fri 31/1, with the weekends Sat 25/1 – Sun 2/2, 9 days.
  // 30/4: Fri 2/5 swapped against Sat 26/4. Quốc khánh Sat 30/8 – Tue 2/9.
  2025: {
    source: 'Văn bản 8726/VPCP-KGVX ngày 26/11/2024 (ý kiến của Thủ tướng Chính phủ về nghỉ Tết Âm lịch và một số dịp nghỉ lễ năm 2025) và thông báo của Bộ LĐTBXH',
    days: [
      off('2025-01-01', NEW_YEAR),
      off('2025-01-27', TET), off('2025-01-28', TET), off('2025-01-29', TET), off('2025-01-30', TET), off('2025-01-31', TET),
      off('2025-04-07', HUNG_KINGS),
      worked('2025-04-26', 'Làm bù cho thứ Sáu 02/5/2025'),
      off('2025-04-30', REUNIFICATION), off('2025-05-01', LABOUR_DAY), off('2025-05-02', 'Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)'),
      off('2025-09-01', NATIONAL_DAY), off('2025-09-02', NATIONAL_DAY),
    ],
  },
  // Tết Dương lịch Thu 1 – Sun 4/1: Fri 2/1 swapped against Sat 10/1. Tết Bính Ngọ: Mon 16/2
  // (29 tháng Chạp) to Fri 20/2, with the weekends Sat 14/2 – Sun 22/2, 9 days. Quốc khánh Sat 29/8 –
  // Wed 2/9: Tue 1/9 is the day next to 2/9, Mon 31/8 swapped against Sat 22/8.
  2026: {
    source: 'Văn bản của Văn phòng Chính phủ ngày 13/10/2025 (ý kiến của Thủ tướng Chính phủ về nghỉ Tết Âm lịch, Quốc khánh năm 2026; số văn bản: verify), văn bản 12729/VPCP-KGVX ngày 25/12/2025 (Tết Dương lịch 2026) và thông báo của Bộ Nội vụ',
    days: [
      off('2026-01-01', NEW_YEAR), off('2026-01-02', 'Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)'),
      worked('2026-01-10', 'Làm bù cho thứ Sáu 02/01/2026'),
      off('2026-02-16', TET), off('2026-02-17', TET), off('2026-02-18', TET), off('2026-02-19', TET), off('2026-02-20', TET),
      off('2026-04-27', `Nghỉ bù ${HUNG_KINGS}`),
      off('2026-04-30', REUNIFICATION), off('2026-05-01', LABOUR_DAY),
      worked('2026-08-22', 'Làm bù cho thứ Hai 31/8/2026'),
      off('2026-08-31', 'Nghỉ hoán đổi (làm bù thứ Bảy 22/8/2026)'), off('2026-09-01', NATIONAL_DAY), off('2026-09-02', NATIONAL_DAY),
      // verify: 24/11 (Ngày Văn hóa Việt Nam) becomes a paid holiday only once the Labour Code art. 112
      // is amended; not listed until then.
    ],
  },
});

/** What a province's year is pre-filled with: the published days where the year is announced, else the rules. */
export function prefilledDaysOf(year: number): CalendarDay[] {
  const published = PUBLISHED_HOLIDAYS[year];
  return published ? published.days.map((day) => ({ ...day })) : holidaysOf(year);
}
