import type { Stance } from '../stances/stance';
import type { KnownIssue, TimelineFact } from '../stances/stance.repository';
import { heldKey, stancesAlong } from '../stances/stance-sweep';

/** The smallest and largest gap the two parties' uncertainty ranges allow (0–100). */
export interface GapRange {
  low: number;
  high: number;
}

export interface IssueGap {
  issue: string;
  gap: number;
  a: number;
  b: number;
  range: GapRange;
  /** wᵢ, the issue's weight in the overall gap: the mean of the two saliences (0.5 for one not coded). */
  weight: number;
}

export interface PairGap {
  a: string;
  b: string;
  overall: number | null;
  coverage: number | null;
  issues: IssueGap[];
  /** The overall gap at the ranges' ends, with the same weights; null with `overall`. */
  overallRange: GapRange | null;
  /** How many of the weights' saliences were not coded and counted as NEUTRAL_SALIENCE (two per shared issue at most). */
  imputed: { salience: number };
}

type StanceLike = Pick<Stance, 'party' | 'issue' | 'value' | 'salience'> & { uncertainty?: { low: number; high: number } | null };

/**
 * The contract's range: low = max(0, max(lo_a, lo_b) − min(hi_a, hi_b)), high = max(hi_a, hi_b)
 * − min(lo_a, lo_b), both ÷ (max − min) × 100; a stance without a range is [value, value].
 */
export function gapRange(x: StanceLike, y: StanceLike, scale: { min: number; max: number }): GapRange {
  const [xl, xh] = x.uncertainty ? [x.uncertainty.low, x.uncertainty.high] : [x.value, x.value];
  const [yl, yh] = y.uncertainty ? [y.uncertainty.low, y.uncertainty.high] : [y.value, y.value];
  const width = scale.max - scale.min;
  return {
    low: (Math.max(0, Math.max(xl, yl) - Math.min(xh, yh)) * 100) / width,
    high: ((Math.max(xh, yh) - Math.min(xl, yl)) * 100) / width,
  };
}

/**
 * A salience nobody coded counts as the middle of the scale (the contract): coding a high
 * salience then raises an issue's weight and a low one lowers it. Counting it as 1, the
 * maximum, made a coded 0.9 *lower* the weight of the issue it was coded on.
 */
export const NEUTRAL_SALIENCE = 0.5;

export const salienceOf = (stance: { salience: number | null }) => stance.salience ?? NEUTRAL_SALIENCE;

/**
 * The contract's gap formulas for one pair. gap = |a − b| / (max − min) × 100 on each shared
 * issue; overall = Σ wᵢ·gapᵢ / Σ wᵢ with wᵢ the mean of the two saliences (null counts as
 * NEUTRAL_SALIENCE; all-zero weights fall back to the plain mean); coverage = shared / issues known.
 */
export function pairGap(a: string, b: string, stances: StanceLike[], issues: KnownIssue[]): PairGap {
  const of = (party: string) => new Map(stances.filter((s) => s.party === party).map((s) => [s.issue, s]));
  const sa = of(a);
  const sb = of(b);
  const gaps: IssueGap[] = [];
  let imputed = 0;
  for (const issue of [...issues].sort((x, y) => x.issue.localeCompare(y.issue))) {
    const x = sa.get(issue.issue);
    const y = sb.get(issue.issue);
    if (!x || !y) continue;
    // Multiply first: integer inputs then give exact gaps (55, not 55.00000000000001).
    const gap = (Math.abs(x.value - y.value) * 100) / (issue.scale.max - issue.scale.min);
    gaps.push({ issue: issue.issue, gap, a: x.value, b: y.value, range: gapRange(x, y, issue.scale), weight: (salienceOf(x) + salienceOf(y)) / 2 });
    imputed += (x.salience === null ? 1 : 0) + (y.salience === null ? 1 : 0);
  }
  const overall = overallGap(gaps);
  return {
    a,
    b,
    overall,
    coverage: issues.length === 0 ? null : gaps.length / issues.length,
    issues: gaps,
    overallRange:
      overall === null
        ? null
        : { low: overallGap(gaps.map((g) => ({ gap: g.range.low, weight: g.weight })))!, high: overallGap(gaps.map((g) => ({ gap: g.range.high, weight: g.weight })))! },
    imputed: { salience: imputed },
  };
}

function overallGap(gaps: { gap: number; weight: number }[]): number | null {
  if (gaps.length === 0) return null;
  const totalWeight = gaps.reduce((sum, g) => sum + g.weight, 0);
  if (totalWeight === 0) return gaps.reduce((sum, g) => sum + g.gap, 0) / gaps.length;
  return gaps.reduce((sum, g) => sum + g.weight * g.gap, 0) / totalWeight;
}

/** Every pair of `parties`, each pair in the order the parties are given. */
export function pairsOf(parties: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < parties.length; i++) {
    for (let j = i + 1; j < parties.length; j++) pairs.push([parties[i]!, parties[j]!]);
  }
  return pairs;
}

export interface SeriesPoint {
  at: string;
  overall: number | null;
  issues: Record<string, number>;
  /** The band a chart can draw: each issue's and the overall gap's range at this point. */
  ranges: Record<string, GapRange>;
  overallRange: GapRange | null;
  /** Saliences imputed at this point (PairGap's). */
  imputed: { salience: number };
}

/** The gap between a and b at each point, from one sweep of their timeline (stancesAlong). */
export function gapSeries(a: string, b: string, timeline: TimelineFact[], issues: KnownIssue[], points: Date[]): SeriesPoint[] {
  const series: SeriesPoint[] = [];
  for (const { at, held } of stancesAlong(timeline, points)) {
    const stances: StanceLike[] = [];
    for (const party of [a, b]) {
      for (const issue of issues) {
        const stance = held.get(heldKey(party, issue.issue));
        if (stance) stances.push({ party, issue: issue.issue, value: stance.value, uncertainty: stance.uncertainty, salience: stance.salience });
      }
    }
    series.push(seriesPoint(at, pairGap(a, b, stances, issues)));
  }
  return series;
}

/** A pair's gap as a point of a series. */
export function seriesPoint(at: Date, gap: PairGap): SeriesPoint {
  return {
    at: at.toISOString(),
    overall: gap.overall,
    issues: Object.fromEntries(gap.issues.map((i) => [i.issue, i.gap])),
    ranges: Object.fromEntries(gap.issues.map((i) => [i.issue, i.range])),
    overallRange: gap.overallRange,
    imputed: gap.imputed,
  };
}
