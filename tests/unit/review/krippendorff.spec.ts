import fc from 'fast-check';
import { bootstrapAlpha, krippendorffAlpha, type Metric } from '../../../src/review/krippendorff';
import { numRuns } from '../../support/property';

/** Observers × units as printed, `null` for a missing value; turned into units' value lists. */
const byUnit = (rows: (number | string | null)[][]) => rows[0]!.map((_, u) => rows.map((row) => row[u]).filter((v): v is number | string => v !== null && v !== undefined));

describe("Krippendorff's alpha against the worked examples of 'Computing Krippendorff's Alpha-Reliability' (2011)", () => {
  it('A. binary data, two observers, no missing data: α = 0.095', () => {
    const units = byUnit([
      [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
      [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
    ]);
    expect(krippendorffAlpha(units, 'nominal').alpha!.toFixed(3)).toBe('0.095');
  });

  // C. Four observers, twelve units, missing values (unit 12 has one value: not pairable).
  const reliability = byUnit([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
    [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
  ]);

  it('C. nominal, any number of observers, missing values: α = 0.743, from 40 pairable values in 11 units', () => {
    const result = krippendorffAlpha(reliability, 'nominal');
    expect(result.alpha!.toFixed(3)).toBe('0.743');
    expect(result).toMatchObject({ pairable: 40, units: 11 });
  });

  it('the same data on the interval metric: α = 0.849', () => {
    expect(krippendorffAlpha(reliability, 'interval').alpha!.toFixed(3)).toBe('0.849');
  });

  it('perfect agreement is 1; nothing pairable, or one value everywhere, is null', () => {
    expect(krippendorffAlpha([[1, 1], [2, 2, 2], [3, 3]], 'interval').alpha).toBe(1);
    expect(krippendorffAlpha([[1], [2]], 'nominal').alpha).toBeNull();
    expect(krippendorffAlpha([[4, 4], [4, 4]], 'nominal').alpha).toBeNull();
  });
});

/**
 * A second implementation, independent of the coincidence matrix: disagreement summed over the
 * pairs of values themselves (within units for D_o, across all pairable values for D_e).
 */
function pairwiseAlpha(units: (number | string)[][], metric: Metric): number | null {
  const d = (a: number | string, b: number | string) => (metric === 'nominal' ? (a === b ? 0 : 1) : ((a as number) - (b as number)) ** 2);
  const pairable = units.filter((u) => u.length >= 2);
  const values = pairable.flat();
  const n = values.length;
  let within = 0;
  for (const unit of pairable) {
    let sum = 0;
    for (let i = 0; i < unit.length; i++) for (let j = 0; j < unit.length; j++) if (i !== j) sum += d(unit[i]!, unit[j]!);
    within += sum / (unit.length - 1);
  }
  let across = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) across += d(values[i]!, values[j]!);
  if (n <= 1 || across === 0) return null;
  return 1 - (within / n) / (across / (n * (n - 1)));
}

describe('alpha equals an independent implementation on random data', () => {
  const units = (values: fc.Arbitrary<number>) => fc.array(fc.array(values, { minLength: 0, maxLength: 5 }), { minLength: 1, maxLength: 30 });

  it.each<[Metric, fc.Arbitrary<number>]>([
    ['nominal', fc.integer({ min: 0, max: 4 })],
    ['interval', fc.integer({ min: 0, max: 100 })],
  ])('%s', (metric, values) => {
    fc.assert(
      fc.property(units(values), (data) => {
        const mine = krippendorffAlpha(data, metric).alpha;
        const theirs = pairwiseAlpha(data, metric);
        if (theirs === null) return mine === null;
        return mine !== null && Math.abs(mine - theirs) < 1e-9;
      }),
      { numRuns: numRuns(200) },
    );
  });

  it('the bootstrap interval holds the estimate and is the same for the same data', () => {
    const data = byUnit([
      [1, 2, 3, 3, 2, 1, 4, 1, 2, 5, 1, 3, 2, 2],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 1, 3, 3, 2],
      [1, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3, 2, 2],
    ]);
    const estimate = krippendorffAlpha(data, 'interval').alpha!;
    const interval = bootstrapAlpha(data, 'interval');
    expect(interval.low!).toBeLessThanOrEqual(estimate);
    expect(interval.high!).toBeGreaterThanOrEqual(estimate);
    expect(interval.high!).toBeLessThanOrEqual(1);
    expect(bootstrapAlpha(data, 'interval')).toEqual(interval);
  });
});
