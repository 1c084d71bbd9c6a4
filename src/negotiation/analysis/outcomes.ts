import { salienceOf } from './gaps';
import type { RedLine, Stance } from '../stances/stance';
import type { KnownIssue, KnownParty } from '../stances/stance.repository';
import { outsideLine } from './red-lines';
import { nashBargaining } from './nash';

export type OutcomeModel = 'compromise' | 'weighted-median' | 'nash';

export interface Outcome {
  issue: string;
  model: OutcomeModel;
  /** The predicted outcome on the issue's scale, or null when no weight counts. */
  outcome: number | null;
  /** Which parties counted (a stance), and which known parties were missing (none). */
  coverage: { counted: string[]; missing: string[] };
  /** Within every declared red line on the issue (true), breaking one (false), or no outcome (null). */
  feasible: boolean | null;
  /** The red lines the outcome breaks. */
  breaks: string[];
  /**
   * Parties of the negotiation the outcome was computed without (no stance on the issue): the
   * prediction is then one side's compromise, whatever `feasible` says. A party that declared
   * a red line on the issue is named as such.
   */
  warnings: { party: string | null; code: 'no_position' | 'red_line_without_position' | 'no_status_quo'; message: string }[];
  parties: {
    party: string;
    value: number;
    /** cᵢ·sᵢ: capability (missing: the mean of the coded ones) × salience (missing: 0.5). */
    weight: number;
    /** What was not coded and was imputed for this party's weight (docs/metrics.md). */
    imputed: ('capability' | 'salience')[];
    /** |xᵢ − x̂| in scale units. */
    distance: number | null;
    /** The same on the 0–100 scale, as gaps are. */
    gap: number | null;
  }[];
}

/**
 * The weighted median: the position with at most half the weight on either side. Sorted by
 * value, it is the first xₖ whose cumulative weight reaches W/2; when that cumulative weight
 * is exactly W/2, every point up to the next value qualifies and the midpoint is taken.
 */
export function weightedMedian(points: { value: number; weight: number }[]): number | null {
  const sorted = points.filter((p) => p.weight > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((sum, p) => sum + p.weight, 0);
  if (total === 0) return null;
  let cumulative = 0;
  for (let k = 0; k < sorted.length; k++) {
    cumulative += sorted[k]!.weight;
    if (Math.abs(cumulative - total / 2) < 1e-12 * total && k + 1 < sorted.length) return (sorted[k]!.value + sorted[k + 1]!.value) / 2;
    if (cumulative >= total / 2) return sorted[k]!.value;
  }
  return sorted[sorted.length - 1]!.value;
}

/** x̂ = Σ cᵢ·sᵢ·xᵢ / Σ cᵢ·sᵢ: the compromise model (a capability × salience weighted mean). */
function weightedMean(points: { value: number; weight: number }[]): number | null {
  const total = points.reduce((sum, p) => sum + p.weight, 0);
  return total === 0 ? null : points.reduce((sum, p) => sum + p.weight * p.value, 0) / total;
}

/**
 * The capability a party without one counts with: the mean of the coded capabilities of the
 * negotiation's parties, or 1 when none is coded (every party then weighs the same). An uncoded
 * party so weighs as an average coded one; counting it as 1, the maximum, let it outweigh every
 * coded party whenever some were coded below 1.
 */
export function imputedCapability(parties: KnownParty[]): number {
  const coded = parties.flatMap((p) => (p.capability === null ? [] : [p.capability]));
  return coded.length === 0 ? 1 : coded.reduce((sum, c) => sum + c, 0) / coded.length;
}

/** Each issue's predicted outcome under `model`, with coverage, feasibility and each party's distance. */
export function outcomes(model: OutcomeModel, parties: KnownParty[], issues: KnownIssue[], stances: Stance[], redLines: RedLine[] = []): Outcome[] {
  const fallback = imputedCapability(parties);
  const capability = new Map(parties.map((p) => [p.party, p.capability]));
  return issues.flatMap((issue) => {
    const on = stances.filter((s) => s.issue === issue.issue);
    if (on.length === 0) return [];
    const weighted = on.map((s) => {
      const coded = capability.get(s.party) ?? null;
      const imputed = [...(coded === null ? ['capability' as const] : []), ...(s.salience === null ? ['salience' as const] : [])];
      return { party: s.party, value: s.value, weight: (coded ?? fallback) * salienceOf(s), imputed };
    });
    // The Nash bargaining solution needs the issue's status quo; without one it has no outcome.
    const outcome =
      model === 'compromise' ? weightedMean(weighted) : model === 'weighted-median' ? weightedMedian(weighted) : issue.statusQuo === null ? null : nashBargaining(weighted, issue.statusQuo);
    const range = issue.scale.max - issue.scale.min;
    const lines = redLines.filter((l) => l.issue === issue.issue);
    const breaks = outcome === null ? [] : lines.filter((l) => outsideLine(outcome, l)).map((l) => l.party);
    return [
      {
        issue: issue.issue,
        model,
        outcome,
        coverage: { counted: on.map((s) => s.party), missing: parties.map((p) => p.party).filter((p) => !on.some((s) => s.party === p)) },
        feasible: outcome === null ? null : breaks.length === 0,
        breaks,
        warnings: [
          ...(model === 'nash' && issue.statusQuo === null
            ? [{ party: null, code: 'no_status_quo' as const, message: `${issue.issue} has no status quo (IssueDefined.statusQuo): the Nash bargaining model needs one` }]
            : []),
          ...parties
          .filter((p) => !on.some((s) => s.party === p.party))
          .map((p) =>
            lines.some((l) => l.party === p.party)
              ? { party: p.party, code: 'red_line_without_position' as const, message: `${p.party} declared a red line on ${issue.issue} but holds no position on it: the outcome is computed without it` }
              : { party: p.party, code: 'no_position' as const, message: `${p.party} holds no position on ${issue.issue}: the outcome is computed without it` },
            ),
        ],
        parties: weighted.map((w) => {
          const distance = outcome === null ? null : Math.abs(w.value - outcome);
          return { ...w, distance, gap: distance === null ? null : (distance * 100) / range };
        }),
      },
    ];
  });
}
