import type { RedLine, Stance } from '../stances/stance';
import type { KnownIssue } from '../stances/stance.repository';

export interface Zone {
  issue: string;
  /** Z = min(max bounds) − max(min bounds): ≥ 0 the zone's width, < 0 the shortfall. */
  z: number;
  zone: { from: number; to: number } | null;
  shortfall: number | null;
  /**
   * Every party with a stance on the issue declared its range: the zone rests on declared
   * limits only. Otherwise `assumed` names whose limits are taken as the whole scale.
   */
  determined: boolean;
  assumed: string[];
  /** `declared`: from a red line; else assumed (the whole scale). `redLine` is the same flag, kept for older clients. */
  bounds: { party: string; min: number; max: number; declared: boolean; redLine: boolean }[];
  /** Stated stances outside the zone (all of them when there is none). */
  outside: { party: string; value: number }[];
}

/**
 * Zone of possible agreement per issue among `parties`, from their red lines. A party with
 * no red line on an issue is assumed to accept the whole scale, and the answer says so
 * (`assumed`, `determined`). Issues where none of them drew a line are left out: nothing
 * would bound the zone but the scale.
 */
export function zonesOfAgreement(parties: string[], issues: KnownIssue[], redLines: RedLine[], stances: Stance[] = []): Zone[] {
  return issues.flatMap((issue) => {
    const lines = new Map(redLines.filter((r) => r.issue === issue.issue).map((r) => [r.party, r]));
    if (!parties.some((p) => lines.has(p))) return [];
    const bounds = parties.map((party) => {
      const line = lines.get(party);
      const declared = line !== undefined;
      return { party, min: line?.min ?? issue.scale.min, max: line?.max ?? issue.scale.max, declared, redLine: declared };
    });
    const low = Math.max(...bounds.map((b) => b.min));
    const high = Math.min(...bounds.map((b) => b.max));
    const z = high - low;
    const stated = stances.filter((s) => s.issue === issue.issue && parties.includes(s.party));
    const assumed = bounds.filter((b) => !b.declared).map((b) => b.party);
    return [
      {
        issue: issue.issue,
        z,
        zone: z >= 0 ? { from: low, to: high } : null,
        shortfall: z < 0 ? -z : null,
        determined: stated.every((s) => lines.has(s.party)),
        assumed,
        bounds,
        outside: stated.filter((s) => z < 0 || s.value < low || s.value > high).map((s) => ({ party: s.party, value: s.value })),
      },
    ];
  });
}
