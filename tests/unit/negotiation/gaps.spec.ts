import { gapSeries, pairGap, pairsOf } from '../../../src/negotiation/analysis/gaps';
import type { KnownIssue, TimelineFact } from '../../../src/negotiation/stances/stance.repository';

const issue = (slug: string, min = 0, max = 100): KnownIssue => ({ issue: slug, title: slug, scale: { min, max, labels: {} }, keywords: [], statusQuo: null });
const stance = (party: string, slug: string, value: number, salience: number | null = null) => ({ party, issue: slug, value, salience });

describe('pairGap', () => {
  it('scales each gap to its issue range', () => {
    const gap = pairGap('a', 'b', [stance('a', 't', -5), stance('b', 't', 5)], [issue('t', -10, 10)]);
    expect(gap.issues).toEqual([{ issue: 't', gap: 50, a: -5, b: 5, range: { low: 50, high: 50 }, weight: 0.5 }]);
    expect(gap.overall).toBe(50);
  });

  it('weights by the mean salience, a missing salience counting as 0.5', () => {
    const stances = [stance('a', 'x', 0, 0.5), stance('b', 'x', 100), stance('a', 'y', 0, 0), stance('b', 'y', 40, 0)];
    // x: weight (0.5 + 0.5) / 2 = 0.5, gap 100; y: weight 0, gap 40.
    expect(pairGap('a', 'b', stances, [issue('x'), issue('y')]).overall).toBe(100);
  });

  it('lets a high salience raise its issue’s weight (Trump on Crimea: 76 → 77.78)', () => {
    // US–Ukraine after London: five shared issues, no salience coded: the plain mean, 76.
    const us = [['crimea', 100], ['ceasefire', 100], ['territories', 50], ['sanctions', 100], ['guarantees', 50]] as const;
    const ukraine = [['crimea', 0], ['ceasefire', 0], ['territories', 0], ['sanctions', 20], ['guarantees', 0]] as const;
    const issues = us.map(([slug]) => issue(slug));
    const before = [...us.map(([i, v]) => stance('us', i, v)), ...ukraine.map(([i, v]) => stance('ukraine', i, v))];
    expect(pairGap('us', 'ukraine', before, issues).overall).toBe(76);
    // Then the US says Crimea "will stay with Russia", coded salience 0.9: crimea weighs
    // (0.9 + 0.5) / 2 = 0.7, the others 0.5: (100·0.7 + 0.5·280) / 2.7.
    const after = before.map((s) => (s.party === 'us' && s.issue === 'crimea' ? { ...s, salience: 0.9 } : s));
    expect(pairGap('us', 'ukraine', after, issues).overall).toBeCloseTo(210 / 2.7, 12);
  });

  it('falls back to the plain mean when every weight is zero', () => {
    const stances = [stance('a', 'x', 0, 0), stance('b', 'x', 100, 0), stance('a', 'y', 0, 0), stance('b', 'y', 40, 0)];
    expect(pairGap('a', 'b', stances, [issue('x'), issue('y')]).overall).toBe(70);
  });

  it('counts coverage over every issue known, and has no overall without a shared issue', () => {
    const gap = pairGap('a', 'b', [stance('a', 'x', 1), stance('b', 'y', 2)], [issue('x'), issue('y'), issue('z')]);
    expect(gap).toEqual({ a: 'a', b: 'b', overall: null, coverage: 0, issues: [], overallRange: null, imputed: { salience: 0 } });
    expect(pairGap('a', 'b', [], []).coverage).toBeNull();
  });
});

describe('pairsOf', () => {
  it('keeps the order the parties are given', () => {
    expect(pairsOf(['us', 'ukraine', 'europe'])).toEqual([['us', 'ukraine'], ['us', 'europe'], ['ukraine', 'europe']]);
  });
});

describe('gap ranges (uncertainty)', () => {
  const ranged = (party: string, value: number, low: number, high: number, salience: number | null = null) => ({ ...stance(party, 'x', value, salience), uncertainty: { low, high } });

  it('gives the smallest and largest gap the two ranges allow', () => {
    // a in [10, 30], b in [20, 60] on 0–100: they overlap (low 0); at most 60 − 10 = 50 apart.
    const gap = pairGap('a', 'b', [ranged('a', 20, 10, 30), ranged('b', 40, 20, 60)], [issue('x')]);
    expect(gap.issues[0]!.range).toEqual({ low: 0, high: 50 });
    // Apart: a in [0, 10], b in [70, 90] on −100–100 (width 200): low (70 − 10)/2, high (90 − 0)/2.
    const apart = pairGap('a', 'b', [ranged('a', 5, 0, 10), ranged('b', 80, 70, 90)], [issue('x', -100, 100)]);
    expect(apart.issues[0]!.range).toEqual({ low: 30, high: 45 });
  });

  it('counts a position without a range as the value itself', () => {
    const gap = pairGap('a', 'b', [stance('a', 'x', 50), ranged('b', 70, 60, 80)], [issue('x')]);
    expect(gap.issues[0]!.range).toEqual({ low: 10, high: 30 });
  });

  it('weights the overall range as the overall gap', () => {
    const stances = [ranged('a', 20, 10, 30, 1), ranged('b', 40, 20, 60, 1), stance('a', 'y', 0, 0), stance('b', 'y', 100, 0)];
    // y has weight 0: the overall range is x's.
    expect(pairGap('a', 'b', stances, [issue('x'), issue('y')]).overallRange).toEqual({ low: 0, high: 50 });
  });
});

describe('gapSeries', () => {
  const fact = (party: string, value: number | null, day: number, position: number, kind: 'set' | 'withdraw' = 'set'): TimelineFact => ({
    party, issue: 'x', kind, value, salience: null, summary: null, eventId: `e${position}`, eventPosition: position,
    occurredAt: new Date(Date.UTC(2025, 3, day)), recordedAt: new Date(), source: null, uncertainty: null, confidence: null, basis: null, datePrecision: null,
  });

  it('reads the last fact at or before each point, and forgets a withdrawn stance', () => {
    const timeline = [fact('a', 10, 1, 1), fact('b', 30, 2, 2), fact('a', 20, 3, 3), fact('b', null, 4, 4, 'withdraw')];
    const points = [1, 2, 3, 4].map((d) => new Date(Date.UTC(2025, 3, d)));
    expect(gapSeries('a', 'b', timeline, [issue('x')], points).map((p) => p.overall)).toEqual([null, 20, 10, null]);
  });
});
