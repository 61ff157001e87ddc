import pino from 'pino';
import { MAX_OPERATION_NAMES, Metrics, outcomeOf } from './metrics';

describe('outcomeOf', () => {
  test.each([
    [undefined, 'ok'],
    [[], 'ok'],
    [[{ extensions: { code: 'RATE_LIMITED' } }, { extensions: { code: 'FORBIDDEN' } }], 'RATE_LIMITED'],
    [[{ extensions: { code: 'NOT_A_CODE_OF_OURS' } }], 'INTERNAL_SERVER_ERROR'],
    [[{}], 'INTERNAL_SERVER_ERROR'],
  ])('%j → %s', (errors, outcome) => {
    expect(outcomeOf(errors)).toBe(outcome);
  });
});

describe('labels stay bounded whatever clients send', () => {
  const series = async (metrics: Metrics) =>
    (await metrics.registry.getSingleMetric('egov_graphql_operations_total')!.get()).values.map((value) => value.labels.operation);

  test(`the first ${MAX_OPERATION_NAMES} operation names get a series, the rest count as (other)`, async () => {
    const metrics = new Metrics({ logger: pino({ level: 'silent' }) });
    for (let n = 0; n < MAX_OPERATION_NAMES + 50; n++) metrics.observeOperation({ transport: 'http', operationName: `Guess${n}`, province: 'can-tho', errors: undefined });
    metrics.observeOperation({ transport: 'http', operationName: 'Guess0', province: 'can-tho', errors: undefined });
    const names = await series(metrics);
    expect(names).toHaveLength(MAX_OPERATION_NAMES + 1);
    expect(names).toContain('(other)');
    expect(names).toContain('Guess0');
  });

  test.each([
    [null, '(anonymous)'],
    ['', '(anonymous)'],
    ['x y\n# TYPE', '(invalid)'],
    ['a'.repeat(65), '(invalid)'],
    ['DanhSachHoSo', 'DanhSachHoSo'],
  ])('operation name %j → %s', async (operationName, label) => {
    const metrics = new Metrics({ logger: pino({ level: 'silent' }) });
    metrics.observeOperation({ transport: 'websocket', operationName, province: null, errors: undefined });
    expect(await series(metrics)).toEqual([label]);
  });
});
