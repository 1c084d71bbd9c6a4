import type { Stance } from '../stances/stance';
import type { KnownIssue } from '../stances/stance.repository';

/** Formulas beyond the contract's gaps; docs/metrics.md states each one. */

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
