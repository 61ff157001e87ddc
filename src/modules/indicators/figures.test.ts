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
