import { indicatorValue, noFigures, withSecondarySuppression, type IndicatorValue } from './figures';

const figures = (changes: Partial<ReturnType<typeof noFigures>>) => ({ ...noFigures(), ...changes });
const shown = (base: number, value: number | null = 1): IndicatorValue => ({ indicator: 'ONLINE_SHARE', value, base, suppressed: false });
const withheld: IndicatorValue = { indicator: 'ONLINE_SHARE', value: null, base: null, suppressed: true };

describe('indicatorValue', () => {
  test.each([
    [0, 5, { value: null, base: 0, suppressed: false }],
    [1, 5, { value: null, base: null, suppressed: true }],
    [4, 5, { value: null, base: null, suppressed: true }],
    [5, 5, { value: 3 / 5, base: 5, suppressed: false }],
    [4, 0, { value: 3 / 4, base: 4, suppressed: false }],
  ])('%i received with a smallest cell of %i', (received, minimumCell, expected) => {
    expect(indicatorValue('ONLINE_SHARE', figures({ received, receivedOnline: Math.min(3, received) }), minimumCell)).toEqual({ indicator: 'ONLINE_SHARE', ...expected });
  });

  test.each([
    [{ early: 0, onTime: 0, late: 0 }, null],
    [{ early: 3, onTime: 1, late: 0 }, 1],
    [{ early: 0, onTime: 0, late: 5 }, 0],
    [{ early: 1, onTime: 2, late: 1 }, 0.75],
    [{ early: 991, onTime: 0, late: 9 }, 0.991],
  ])('the on-time rate of %j is %p: (early + on time) / finished, and "no data" is null, never 0 %%', (counts, expected) => {
    const rate = indicatorValue('ON_TIME_RATE', figures({ finishedEarly: counts.early, finishedOnTime: counts.onTime, finishedLate: counts.late })).value;
    if (expected === null) expect(rate).toBeNull();
    else expect(rate).toBeCloseTo(expected, 10);
  });

  test('on-time over finished, satisfaction an average of ratings, sync over changes sent', () => {
    const sample = figures({ finishedEarly: 3, finishedOnTime: 4, finishedLate: 3, rated: 4, ratingSum: 18, portalChanges: 10, portalAcknowledged: 9 });
    expect(indicatorValue('ON_TIME_RATE', sample).value).toBeCloseTo(0.7);
    expect(indicatorValue('EARLY_RATE', sample).value).toBeCloseTo(0.3);
    expect(indicatorValue('SATISFACTION', sample).value).toBeCloseTo(4.5);
    expect(indicatorValue('PORTAL_SYNC', sample).value).toBeCloseTo(0.9);
  });
});

describe('withSecondarySuppression', () => {
  const total = [shown(20)];
  test('one withheld cell beside a shown total: the next smallest is withheld too', () => {
    expect(withSecondarySuppression([[withheld], [shown(9)], [shown(7)]], total)).toEqual([[withheld], [shown(9)], [withheld]]);
  });
  test('two withheld cells, none withheld beside them, or a withheld total: nothing more', () => {
    expect(withSecondarySuppression([[withheld], [withheld], [shown(9)]], total)).toEqual([[withheld], [withheld], [shown(9)]]);
    expect(withSecondarySuppression([[shown(6)], [shown(9)]], total)).toEqual([[shown(6)], [shown(9)]]);
    expect(withSecondarySuppression([[withheld], [shown(9)]], [withheld])).toEqual([[withheld], [shown(9)]]);
  });
  test('an empty cell (base 0) gives nothing away and is not the one withheld', () => {
    expect(withSecondarySuppression([[withheld], [shown(0, null)], [shown(8)]], total)).toEqual([[withheld], [shown(0, null)], [withheld]]);
  });
});
