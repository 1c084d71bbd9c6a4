import fc from 'fast-check';
import { nashBargaining } from '../../../src/negotiation/analysis/nash';

describe('the Nash bargaining solution (quadratic utilities, a status quo)', () => {
  it('keeps the status quo when the parties want opposite ways of it', () => {
    // Ideals 20 and 80, status quo 50: each accepts only moves toward itself; they meet at 50.
    expect(nashBargaining([{ value: 20, weight: 1 }, { value: 80, weight: 1 }], 50)).toBeCloseTo(50, 6);
  });

  it('by hand: two parties on one side of a far status quo approach the weighted mean', () => {
    // q far away (1,000): the solution tends to the compromise model's weighted mean, (1·0 + 3·100) / 4 = 75.
    const far = nashBargaining([{ value: 0, weight: 1 }, { value: 100, weight: 3 }], 100_000)!;
    expect(far).toBeCloseTo(75, 1);
    // Nearer the status quo the party closer to it gains little: the solution is pulled its way.
    const near = nashBargaining([{ value: 0, weight: 1 }, { value: 100, weight: 3 }], 150)!;
    expect(near).toBeGreaterThan(75);
    expect(near).toBeLessThan(100);
  });

  it('returns the status quo when some party already has it, and null without weight', () => {
    expect(nashBargaining([{ value: 30, weight: 1 }, { value: 90, weight: 1 }], 30)).toBe(30);
    expect(nashBargaining([{ value: 30, weight: 0 }], 10)).toBeNull();
  });

  it('always lies where every party gains (property), and maximises the weighted log-gain there', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ value: fc.integer({ min: 0, max: 100 }), weight: fc.double({ min: 0.05, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: -50, max: 150 }),
        (points, q) => {
          const x = nashBargaining(points, q)!;
          for (const p of points) expect((x - p.value) ** 2).toBeLessThanOrEqual((q - p.value) ** 2 + 1e-6);
          const gain = (y: number) => points.reduce((s, p) => s + p.weight * Math.log((q - p.value) ** 2 - (y - p.value) ** 2), 0);
          // No nearby outcome that every party accepts does better.
          for (const y of [x - 0.01, x + 0.01]) {
            if (points.every((p) => (y - p.value) ** 2 < (q - p.value) ** 2)) expect(gain(y)).toBeLessThanOrEqual(gain(x) + 1e-6);
          }
        },
      ),
    );
  });
});
