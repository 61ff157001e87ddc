import { createConcurrencyGate, type Release } from './concurrency-gate';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createConcurrencyGate', () => {
  test.each([
    { case: 'under the limit: every one runs', limit: 3, maxQueued: 0, asks: 3, granted: 3, refused: 0, waiting: 0 },
    { case: 'over the limit, no line: the rest are refused', limit: 2, maxQueued: 0, asks: 5, granted: 2, refused: 3, waiting: 0 },
    { case: 'over the limit: the line takes what it can hold', limit: 2, maxQueued: 2, asks: 5, granted: 2, refused: 1, waiting: 2 },
  ])('$case', async ({ limit, maxQueued, asks, granted, refused, waiting }) => {
    const gate = createConcurrencyGate({ limit, maxWaitMs: 60_000, maxQueued });
    const settled: (Release | null)[] = [];
    const pending = Array.from({ length: asks }, () => gate.acquire('quang-tri').then((slot) => void settled.push(slot)));
    await tick();
    expect(settled.filter(Boolean)).toHaveLength(granted);
    expect(settled.filter((slot) => slot === null)).toHaveLength(refused);
    expect(gate.load('quang-tri')).toEqual({ running: granted, waiting });
    // Releasing every slot lets the line through, one after another.
    while (settled.some(Boolean)) {
      const slot = settled.find(Boolean)!;
      settled.splice(settled.indexOf(slot), 1);
      slot();
      await tick();
    }
    await Promise.all(pending);
    expect(gate.load('quang-tri')).toEqual({ running: 0, waiting: 0 });
  });

  test('keys are independent: one province at its limit does not hold another', async () => {
    const gate = createConcurrencyGate({ limit: 1, maxWaitMs: 10, maxQueued: 5 });
    const held = await gate.acquire('da-nang');
    expect(held).not.toBeNull();
    expect(await gate.acquire('can-tho')).not.toBeNull();
  });

  test('a waiter whose time runs out is refused and leaves the line; a second release does nothing', async () => {
    const gate = createConcurrencyGate({ limit: 1, maxWaitMs: 30, maxQueued: 5 });
    const held = (await gate.acquire('vinh-long'))!;
    expect(await gate.acquire('vinh-long')).toBeNull();
    expect(gate.load('vinh-long')).toEqual({ running: 1, waiting: 0 });
    held();
    held();
    expect(gate.load('vinh-long')).toEqual({ running: 0, waiting: 0 });
    const again = await gate.acquire('vinh-long');
    expect(again).not.toBeNull();
    expect(gate.load('vinh-long')).toEqual({ running: 1, waiting: 0 });
  });

  test('a patient waiter queues past a full line and waits its own time', async () => {
    const gate = createConcurrencyGate({ limit: 1, maxWaitMs: 10, maxQueued: 0 });
    const held = (await gate.acquire('can-tho'))!;
    expect(await gate.acquire('can-tho')).toBeNull();
    const patient = gate.acquire('can-tho', { maxWaitMs: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gate.load('can-tho')).toEqual({ running: 1, waiting: 1 });
    held();
    expect(await patient).not.toBeNull();
  });
});
