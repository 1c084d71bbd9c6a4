import type { RuleDefinition } from '../alert-rules';
import { gapOf } from './gap';
import { fmt, type AlertKind, type Measure } from './kind';

type Rule = Extract<RuleDefinition, { kind: 'gap_threshold' }>;
type Gap = Extract<Measure, { kind: 'gap' }>;

const what = (rule: Rule) => `gap ${rule.a}–${rule.b}${rule.issue ? ` on ${rule.issue}` : ''}`;

/** A pair's gap crossing a threshold; watching one direction makes it a level rule (it resolves). */
export const gapThreshold: AlertKind<Rule, Gap> = {
  measure: async (db, negotiationId, rule, asOf) => ({ kind: 'gap', value: await gapOf(db, negotiationId, rule, asOf) }),
  judge(rule, before, after) {
    const [b, a] = [before.value, after.value];
    if (b === null || a === null) return [];
    const level = rule.direction === 'both' ? {} : { key: '' };
    if (b < rule.threshold && a >= rule.threshold && rule.direction !== 'down') {
      return [{ summary: `${what(rule)} rose to ${fmt(a)}, crossing ${rule.threshold} (was ${fmt(b)})`, ...level }];
    }
    if (b >= rule.threshold && a < rule.threshold && rule.direction !== 'up') {
      return [{ summary: `${what(rule)} fell to ${fmt(a)}, crossing ${rule.threshold} (was ${fmt(b)})`, ...level }];
    }
    return [];
  },
  // Up: gap ≥ threshold holds; down: gap < threshold. Both ways is an edge rule.
  conditions(rule, { value }) {
    if (rule.direction === 'both') return null;
    return new Map([['', value !== null && (rule.direction === 'up' ? value >= rule.threshold : value < rule.threshold)]]);
  },
  cleared: (rule, { value }) =>
    `the condition cleared (${what(rule)} ${value === null ? 'no longer measured' : `at ${fmt(value)}, ${rule.direction === 'up' ? 'below' : 'at or above'} ${rule.threshold}`})`,
};
