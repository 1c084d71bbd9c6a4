import { mapPaced, paced, runAtOnce, runPaced } from '../../../src/shared/paced';

/** Busy work of about `ms` milliseconds, as producing a row of a large panel is. */
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

/** Counts the turns the event loop gets while `work` runs. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns += 1;
    setImmediate(tick);
  };
  setImmediate(tick);
  await work();
  running = false;
  return turns;
}

describe('paced work', () => {
  it('maps as map does, and lets the event loop in every few milliseconds', async () => {
    const items = Array.from({ length: 640 }, (_, i) => i);
    let result: number[] = [];
    const turns = await turnsDuring(async () => {
      result = await mapPaced(items, (n, index) => {
        busy(0.05);
        return n * 2 + index;
      });
    });
    expect(result).toEqual(items.map((n, index) => n * 2 + index));
    // 640 × 0.05 ms = 32 ms of work: several 5 ms slices, a turn after each.
    expect(turns).toBeGreaterThanOrEqual(3);
  });

  it('yields the same rows, with turns between slices', async () => {
    const rows: number[] = [];
    const turns = await turnsDuring(async () => {
      for await (const row of paced(Array.from({ length: 640 }, (_, i) => i))) {
        busy(0.05);
        rows.push(row);
      }
    });
    expect(rows).toEqual(Array.from({ length: 640 }, (_, i) => i));
    expect(turns).toBeGreaterThanOrEqual(3);
  });

  it('runs a generator of steps to its value, paced or at once, and throws what it throws', async () => {
    function* steps(n: number) {
      let sum = 0;
      for (let i = 1; i <= n; i++) {
        sum += i;
        yield;
      }
      if (n < 0) throw new Error('negative');
      return sum;
    }
    expect(await runPaced(steps(1000))).toBe(500_500);
    expect(runAtOnce(steps(1000))).toBe(500_500);
    await expect(runPaced(steps(-1))).rejects.toThrow('negative');
    // Unpaced work gives the event loop no turn at all: what the writer relies on for small batches.
    expect(await turnsDuring(async () => runAtOnce(steps(100_000)))).toBe(0);
  });
});
