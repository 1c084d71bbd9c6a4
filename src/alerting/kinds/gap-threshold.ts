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
    const level = rule.direction === 'both' ? {} : { key: '' };
    if (a === null) return [];
    // A gap that appears (the pair's first shared issue, or a first stance on the watched one)
    // is news: it fires on the side the rule watches, or on either side for a both-ways rule.
    if (b === null) {
      const above = a >= rule.threshold;
      if ((above && rule.direction === 'down') || (!above && rule.direction === 'up')) return [];
      return [{ summary: `${what(rule)} appeared at ${fmt(a)}, ${above ? 'at or above' : 'below'} ${rule.threshold}`, ...level }];
    }
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
