import { salienceOf } from './gaps';
import type { RedLine, Stance } from '../stances/stance';
import type { KnownIssue, KnownParty } from '../stances/stance.repository';
import { outsideLine } from './red-lines';

export type OutcomeModel = 'compromise' | 'weighted-median';

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
  parties: {
    party: string;
    value: number;
    /** cᵢ·sᵢ: capability (missing: 1) × salience (missing: 0.5). */
    weight: number;
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

/** Each issue's predicted outcome under `model`, with coverage, feasibility and each party's distance. */
export function outcomes(model: OutcomeModel, parties: KnownParty[], issues: KnownIssue[], stances: Stance[], redLines: RedLine[] = []): Outcome[] {
  const capability = new Map(parties.map((p) => [p.party, p.capability ?? 1]));
  return issues.flatMap((issue) => {
    const on = stances.filter((s) => s.issue === issue.issue);
    if (on.length === 0) return [];
    const weighted = on.map((s) => ({ party: s.party, value: s.value, weight: (capability.get(s.party) ?? 1) * salienceOf(s) }));
    const outcome = model === 'compromise' ? weightedMean(weighted) : weightedMedian(weighted);
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
        parties: weighted.map((w) => {
          const distance = outcome === null ? null : Math.abs(w.value - outcome);
          return { ...w, distance, gap: distance === null ? null : (distance * 100) / range };
        }),
      },
    ];
  });
}
