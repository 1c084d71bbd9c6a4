import { Duration } from 'luxon';
import type { RuleDefinition } from '../alert-rules';
import { gapOf } from './gap';
import { fmt, type AlertKind, type Measure } from './kind';

type Rule = Extract<RuleDefinition, { kind: 'gap_change' }>;
type Change = Extract<Measure, { kind: 'gap_change' }>;

/** Whether a measured change goes past the rule's delta, the way it watches. */
function moved(rule: Rule, { change }: Change): boolean {
  if (change === null) return false;
  if (rule.direction === 'converge') return change < -rule.delta;
  if (rule.direction === 'diverge') return change > rule.delta;
  return Math.abs(change) > rule.delta;
}

/** A pair converging or diverging by more than a delta within a window of valid time: an edge rule. */
export const gapChange: AlertKind<Rule, Change> = {
  async measure(db, negotiationId, rule, asOf) {
    const earlier = new Date(asOf.at.getTime() - Duration.fromISO(rule.window).toMillis());
    const now = await gapOf(db, negotiationId, rule, asOf);
    const then = await gapOf(db, negotiationId, rule, { at: earlier, knownAt: asOf.knownAt });
    return { kind: 'gap_change', now, then, change: now === null || then === null ? null : now - then };
  },
  judge(rule, before, after) {
    if (!moved(rule, after) || moved(rule, before)) return [];
    const change = after.change!;
    const way = change < 0 ? 'converged' : 'diverged';
    return [{ summary: `${rule.a} and ${rule.b} ${way} by ${fmt(Math.abs(change))} within ${rule.window} (gap ${fmt(after.then)} → ${fmt(after.now)})` }];
  },
  conditions: () => null,
  cleared: () => '',
};
