// The figures the roll-ups keep (migration national_indicators) and the indicators of Quyết định
// 766/QĐ-TTg that the data allows, as ratios of those figures. Pure.

/** One roll-up row's counts; each counts dossiers on the day (month) of its own event. */
export const FIGURES = [
  'received',
  'receivedOnline',
  'identityVerified',
  'digitised',
  'finishedEarly',
  'finishedOnTime',
  'finishedLate',
  'paid',
  'paidOnline',
  'returned',
  'returnedElectronically',
  'rated',
  'ratingSum',
  'portalChanges',
  'portalAcknowledged',
] as const;
export type Figure = (typeof FIGURES)[number];
export type Figures = Record<Figure, number>;

/** The roll-up tables' column of a figure (receivedOnline -> received_online). */
export const figureColumn = (figure: Figure) => figure.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

export const noFigures = (): Figures => Object.fromEntries(FIGURES.map((figure) => [figure, 0])) as Figures;

export function addFigures(into: Figures, more: Figures): Figures {
  for (const figure of FIGURES) into[figure] += more[figure];
  return into;
}

export const INDICATORS = [
  'ON_TIME_RATE',
  'EARLY_RATE',
  'ONLINE_SHARE',
  'RETURNED_ELECTRONICALLY',
  'PAID_ONLINE',
  'DIGITISED',
  'IDENTITY_VERIFIED',
  'PORTAL_SYNC',
  'SATISFACTION',
] as const;
export type Indicator = (typeof INDICATORS)[number];

interface IndicatorDefinition {
  name: string;
  /** What is counted over `base`; SATISFACTION is an average (the sum of ratings over their number). */
  counted: (figures: Figures) => number;
  base: (figures: Figures) => number;
}

const finished = (figures: Figures) => figures.finishedEarly + figures.finishedOnTime + figures.finishedLate;

export const INDICATOR_DEFINITIONS: Record<Indicator, IndicatorDefinition> = {
  ON_TIME_RATE: { name: 'Tỷ lệ hồ sơ giải quyết đúng hạn (trước hạn và đúng hạn)', counted: (f) => f.finishedEarly + f.finishedOnTime, base: finished },
  EARLY_RATE: { name: 'Tỷ lệ hồ sơ giải quyết trước hạn', counted: (f) => f.finishedEarly, base: finished },
  ONLINE_SHARE: { name: 'Tỷ lệ hồ sơ tiếp nhận trực tuyến', counted: (f) => f.receivedOnline, base: (f) => f.received },
  RETURNED_ELECTRONICALLY: { name: 'Tỷ lệ kết quả trả bằng phương thức điện tử', counted: (f) => f.returnedElectronically, base: (f) => f.returned },
  PAID_ONLINE: { name: 'Tỷ lệ thanh toán trực tuyến', counted: (f) => f.paidOnline, base: (f) => f.paid },
  DIGITISED: { name: 'Tỷ lệ hồ sơ có thành phần được số hóa', counted: (f) => f.digitised, base: (f) => f.received },
  IDENTITY_VERIFIED: { name: 'Tỷ lệ hồ sơ xác thực định danh qua VNeID', counted: (f) => f.identityVerified, base: (f) => f.received },
  PORTAL_SYNC: { name: 'Tỷ lệ trạng thái đồng bộ lên Cổng Dịch vụ công quốc gia', counted: (f) => f.portalAcknowledged, base: (f) => f.portalChanges },
  SATISFACTION: { name: 'Mức độ hài lòng bình quân (thang 1–5)', counted: (f) => f.ratingSum, base: (f) => f.rated },
};

export interface IndicatorValue {
  indicator: Indicator;
  /** A share (0..1), or for SATISFACTION the average rating; null when nothing was counted or it is suppressed. */
  value: number | null;
  /** How many dossiers (or status changes, or ratings) the value is over; null when suppressed. */
  base: number | null;
  /** Fewer than the smallest cell shown: withheld, so that no one is re-identified from a rare case. */
  suppressed: boolean;
}

/**
 * The indicator over these figures. A base of fewer than `minimumCell` dossiers (but more than none)
 * is withheld with its value: a ministry must not single out an applicant of a rare procedure in a
 * small commune. 0 shows everything (a province reading its own figures).
 */
export function indicatorValue(indicator: Indicator, figures: Figures, minimumCell = 0): IndicatorValue {
  const definition = INDICATOR_DEFINITIONS[indicator];
  const base = definition.base(figures);
  if (base > 0 && base < minimumCell) return { indicator, value: null, base: null, suppressed: true };
  return { indicator, value: base === 0 ? null : definition.counted(figures) / base, base, suppressed: false };
}

/**
 * Secondary suppression within one answer: when a single row's value of an indicator is withheld but
 * the total is shown, the withheld base is the total's minus the others', so the next smallest row is
 * withheld too. (Answers to other questions can still be subtracted from each other; every read is
 * logged.) Returns new rows; the total is left as it is.
 */
export function withSecondarySuppression(rows: readonly IndicatorValue[][], total: readonly IndicatorValue[]): IndicatorValue[][] {
  const result = rows.map((values) => [...values]);
  total.forEach((totalValue, column) => {
    if (totalValue.suppressed) return;
    const withheld = result.filter((values) => values[column].suppressed).length;
    if (withheld !== 1) return;
    const candidates = result.filter((values) => !values[column].suppressed && (values[column].base ?? 0) > 0);
    if (!candidates.length) return;
    const smallest = candidates.reduce((least, values) => ((values[column].base ?? 0) < (least[column].base ?? 0) ? values : least));
    smallest[column] = { indicator: smallest[column].indicator, value: null, base: null, suppressed: true };
  });
  return result;
}
