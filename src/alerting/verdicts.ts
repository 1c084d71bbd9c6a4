import type { RuleDefinition } from './alert-rules';
import { outsideLine } from '../negotiation/analysis/red-lines';

/** What a rule watches, measured at one (at, knownAt). */
export type Measure =
  | { kind: 'gap'; value: number | null }
  | { kind: 'gap_change'; now: number | null; then: number | null; change: number | null }
  | { kind: 'stance'; value: number | null }
  | { kind: 'red_line'; line: { min: number | null; max: number | null } | null; values: Record<string, number> }
  | { kind: 'zone'; z: number | null }
  /** News rules watch arriving items, not the projection: nothing to measure on an append. */
  | { kind: 'news'; item?: string; title?: string; matchedTerms?: string[] };

export interface Verdict {
  summary: string;
  /** For a level rule, which condition became true: open until a resolution with the same key. */
  key?: string;
}

const fmt = (v: number | null) => (v === null ? 'none' : String(Math.round(v * 100) / 100));

/**
 * Whether a change from `before` to `after` fires the rule: edge-triggered, so a condition
 * that stays true fires once, when it becomes true. One verdict per firing.
 */
export function judge(rule: RuleDefinition, before: Measure, after: Measure): Verdict[] {
  switch (rule.kind) {
    case 'news':
      return [];
    case 'gap_threshold': {
      const [b, a] = [(before as { value: number | null }).value, (after as { value: number | null }).value];
      if (b === null || a === null) return [];
      const what = `gap ${rule.a}–${rule.b}${rule.issue ? ` on ${rule.issue}` : ''}`;
      const level = rule.direction === 'both' ? {} : { key: '' };
      if (b < rule.threshold && a >= rule.threshold && rule.direction !== 'down') {
        return [{ summary: `${what} rose to ${fmt(a)}, crossing ${rule.threshold} (was ${fmt(b)})`, ...level }];
      }
      if (b >= rule.threshold && a < rule.threshold && rule.direction !== 'up') {
        return [{ summary: `${what} fell to ${fmt(a)}, crossing ${rule.threshold} (was ${fmt(b)})`, ...level }];
      }
      return [];
    }
    case 'gap_change': {
      const moved = (m: Measure) => {
        const change = (m as { change: number | null }).change;
        if (change === null) return false;
        if (rule.direction === 'converge') return change < -rule.delta;
        if (rule.direction === 'diverge') return change > rule.delta;
        return Math.abs(change) > rule.delta;
      };
      if (!moved(after) || moved(before)) return [];
      const m = after as Extract<Measure, { kind: 'gap_change' }>;
      const way = m.change! < 0 ? 'converged' : 'diverged';
      return [{ summary: `${rule.a} and ${rule.b} ${way} by ${fmt(Math.abs(m.change!))} within ${rule.window} (gap ${fmt(m.then)} → ${fmt(m.now)})` }];
    }
    case 'position_shift': {
      const [b, a] = [(before as { value: number | null }).value, (after as { value: number | null }).value];
      if (b === null || a === null || Math.abs(a - b) <= rule.delta) return [];
      return [{ summary: `${rule.party} moved on ${rule.issue} from ${fmt(b)} to ${fmt(a)}` }];
    }
    case 'red_line': {
      if (rule.mode === 'zone') {
        const [b, a] = [(before as { z: number | null }).z, (after as { z: number | null }).z];
        if (b === null || a === null || b >= 0 === a >= 0) return [];
        const [x, y] = rule.parties;
        return [{ summary: a >= 0 ? `a zone of agreement on ${rule.issue} opened between ${x} and ${y} (${fmt(a)} wide)` : `the zone of agreement on ${rule.issue} between ${x} and ${y} closed (short by ${fmt(-a)})` }];
      }
      const b = before as Extract<Measure, { kind: 'red_line' }>;
      const a = after as Extract<Measure, { kind: 'red_line' }>;
      return Object.entries(a.values)
        .filter(([party, value]) => outsideLine(value, a.line) && !(party in b.values && outsideLine(b.values[party]!, b.line)))
        .map(([party, value]) => ({ summary: `${party}'s stance on ${rule.issue} (${fmt(value)}) entered ${rule.party}'s unacceptable range`, key: party }));
    }
  }
}

/**
 * The conditions a level rule holds true at one measure, by key; null for an edge rule (a
 * crossing either way, a change, a shift, a zone opening or closing), which never resolves.
 * `gap_threshold` up: gap ≥ threshold; down: gap < threshold. `red_line` stance: a party's
 * stance outside the red line, one key per party.
 */
export function conditions(rule: RuleDefinition, m: Measure): Map<string, boolean> | null {
  if (rule.kind === 'gap_threshold' && rule.direction !== 'both') {
    const value = (m as { value: number | null }).value;
    return new Map([['', value !== null && (rule.direction === 'up' ? value >= rule.threshold : value < rule.threshold)]]);
  }
  if (rule.kind === 'red_line' && rule.mode === 'stance') {
    const r = m as Extract<Measure, { kind: 'red_line' }>;
    return new Map(Object.entries(r.values).map(([party, value]) => [party, outsideLine(value, r.line)]));
  }
  return null;
}

/** The level conditions that held before and no longer do after: what resolves (if it fired). */
export function resolutions(rule: RuleDefinition, before: Measure, after: Measure): Verdict[] {
  const was = conditions(rule, before);
  if (!was) return [];
  const now = conditions(rule, after)!;
  return [...was]
    .filter(([key, held]) => held && now.get(key) !== true)
    .map(([key]) => ({ key, summary: rule.kind === 'red_line' && rule.mode === 'stance' ? `${key}'s stance on ${rule.issue} is no longer in ${rule.party}'s unacceptable range` : `the condition cleared (${describe(rule, after)})` }));
}

function describe(rule: RuleDefinition, m: Measure): string {
  if (rule.kind !== 'gap_threshold') return '';
  const value = (m as { value: number | null }).value;
  return `gap ${rule.a}–${rule.b}${rule.issue ? ` on ${rule.issue}` : ''} ${value === null ? 'no longer measured' : `at ${fmt(value)}, ${rule.direction === 'up' ? 'below' : 'at or above'} ${rule.threshold}`}`;
}
