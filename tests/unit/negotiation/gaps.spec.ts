import { gapSeries, pairGap, pairsOf } from '../../../src/negotiation/analysis/gaps';
import type { KnownIssue, TimelineFact } from '../../../src/negotiation/stances/stance.repository';

const issue = (slug: string, min = 0, max = 100): KnownIssue => ({ issue: slug, title: slug, scale: { min, max, labels: {} } });
const stance = (party: string, slug: string, value: number, salience: number | null = null) => ({ party, issue: slug, value, salience });

describe('pairGap', () => {
  it('scales each gap to its issue range', () => {
    const gap = pairGap('a', 'b', [stance('a', 't', -5), stance('b', 't', 5)], [issue('t', -10, 10)]);
    expect(gap.issues).toEqual([{ issue: 't', gap: 50, a: -5, b: 5 }]);
    expect(gap.overall).toBe(50);
  });

  it('weights by the mean salience, a missing salience counting as 1', () => {
    const stances = [stance('a', 'x', 0, 0.5), stance('b', 'x', 100), stance('a', 'y', 0, 0), stance('b', 'y', 40, 0)];
    // x: weight (0.5 + 1) / 2 = 0.75, gap 100; y: weight 0, gap 40.
    expect(pairGap('a', 'b', stances, [issue('x'), issue('y')]).overall).toBe(100);
  });

  it('falls back to the plain mean when every weight is zero', () => {
    const stances = [stance('a', 'x', 0, 0), stance('b', 'x', 100, 0), stance('a', 'y', 0, 0), stance('b', 'y', 40, 0)];
    expect(pairGap('a', 'b', stances, [issue('x'), issue('y')]).overall).toBe(70);
  });

  it('counts coverage over every issue known, and has no overall without a shared issue', () => {
    const gap = pairGap('a', 'b', [stance('a', 'x', 1), stance('b', 'y', 2)], [issue('x'), issue('y'), issue('z')]);
    expect(gap).toEqual({ a: 'a', b: 'b', overall: null, coverage: 0, issues: [] });
    expect(pairGap('a', 'b', [], []).coverage).toBeNull();
  });
});

describe('pairsOf', () => {
  it('keeps the order the parties are given', () => {
    expect(pairsOf(['us', 'ukraine', 'europe'])).toEqual([['us', 'ukraine'], ['us', 'europe'], ['ukraine', 'europe']]);
  });
});

describe('gapSeries', () => {
  const fact = (party: string, value: number | null, day: number, position: number, kind: 'set' | 'withdraw' = 'set'): TimelineFact => ({
    party, issue: 'x', kind, value, salience: null, summary: null, eventId: `e${position}`, eventPosition: position,
    occurredAt: new Date(Date.UTC(2025, 3, day)), recordedAt: new Date(), source: null,
  });

  it('reads the last fact at or before each point, and forgets a withdrawn stance', () => {
    const timeline = [fact('a', 10, 1, 1), fact('b', 30, 2, 2), fact('a', 20, 3, 3), fact('b', null, 4, 4, 'withdraw')];
    const points = [1, 2, 3, 4].map((d) => new Date(Date.UTC(2025, 3, d)));
    expect(gapSeries('a', 'b', timeline, [issue('x')], points).map((p) => p.overall)).toEqual([null, 20, 10, null]);
  });
});
