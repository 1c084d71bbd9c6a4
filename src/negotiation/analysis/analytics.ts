import { salienceOf } from './gaps';
import type { RedLine, Stance } from '../stances/stance';
import type { KnownIssue, KnownParty } from '../stances/stance.repository';

/** Formulas beyond the contract's gaps; docs/metrics.md states each one. */

export interface Zone {
  issue: string;
  /** Z = min(max bounds) − max(min bounds): ≥ 0 the zone's width, < 0 the shortfall. */
  z: number;
  zone: { from: number; to: number } | null;
  shortfall: number | null;
  bounds: { party: string; min: number; max: number; redLine: boolean }[];
}

/**
 * Zone of possible agreement per issue among `parties`, from their red lines. A party with
 * no red line on an issue accepts the whole scale. Issues where none of them drew a line
 * are left out: nothing would bound the zone but the scale.
 */
export function zonesOfAgreement(parties: string[], issues: KnownIssue[], redLines: RedLine[]): Zone[] {
  return issues.flatMap((issue) => {
    const lines = new Map(redLines.filter((r) => r.issue === issue.issue).map((r) => [r.party, r]));
    if (!parties.some((p) => lines.has(p))) return [];
    const bounds = parties.map((party) => {
      const line = lines.get(party);
      return { party, min: line?.min ?? issue.scale.min, max: line?.max ?? issue.scale.max, redLine: line !== undefined };
    });
    const low = Math.max(...bounds.map((b) => b.min));
    const high = Math.min(...bounds.map((b) => b.max));
    const z = high - low;
    return [{ issue: issue.issue, z, zone: z >= 0 ? { from: low, to: high } : null, shortfall: z < 0 ? -z : null, bounds }];
  });
}

export interface Outcome {
  issue: string;
  /** x̂ = Σ cᵢ·sᵢ·xᵢ / Σ cᵢ·sᵢ over the parties with a stance (a null c counts as 1, a null s as 0.5). */
  outcome: number | null;
  parties: { party: string; value: number; weight: number; distance: number | null }[];
}

/** The compromise model (capability × salience weighted mean) and each party's distance from it. */
export function compromiseOutcomes(parties: KnownParty[], issues: KnownIssue[], stances: Stance[]): Outcome[] {
  const capability = new Map(parties.map((p) => [p.party, p.capability ?? 1]));
  return issues.flatMap((issue) => {
    const on = stances.filter((s) => s.issue === issue.issue);
    if (on.length === 0) return [];
    const weighted = on.map((s) => ({ party: s.party, value: s.value, weight: (capability.get(s.party) ?? 1) * salienceOf(s) }));
    const total = weighted.reduce((sum, w) => sum + w.weight, 0);
    const outcome = total === 0 ? null : weighted.reduce((sum, w) => sum + w.weight * w.value, 0) / total;
    return [
      {
        issue: issue.issue,
        outcome,
        parties: weighted.map((w) => ({ ...w, distance: outcome === null ? null : Math.abs(w.value - outcome) })),
      },
    ];
  });
}

export interface Concession {
  issue: string;
  /** (|a₀ − b₀| − |a₁ − b₀|) / (max − min) × 100: positive toward b, negative away. */
  concession: number;
  from: { a: number; b: number };
  to: { a: number };
}

/**
 * How far `a` moved toward `b` between two dates, per issue, measured against b's position
 * at the start so that b's own moves are not counted as a's concessions.
 */
export function concessions(a: string, b: string, issues: KnownIssue[], before: Stance[], after: Stance[]): Concession[] {
  const find = (list: Stance[], party: string, issue: string) => list.find((s) => s.party === party && s.issue === issue);
  return issues.flatMap((issue) => {
    const a0 = find(before, a, issue.issue);
    const b0 = find(before, b, issue.issue);
    const a1 = find(after, a, issue.issue);
    if (!a0 || !b0 || !a1) return [];
    const range = issue.scale.max - issue.scale.min;
    const concession = ((Math.abs(a0.value - b0.value) - Math.abs(a1.value - b0.value)) * 100) / range;
    return [{ issue: issue.issue, concession, from: { a: a0.value, b: b0.value }, to: { a: a1.value } }];
  });
}
