import type { Kysely } from 'kysely';
import type { Database } from '../../database/schema';
import type { AsOf } from '../../negotiation/stances/stance';
import type { RuleDefinition } from '../alert-rules';
import { gapChange } from './gap-change';
import { gapThreshold } from './gap-threshold';
import type { AlertKind, Measure, Verdict } from './kind';
import { news } from './news';
import { outcome } from './outcome';
import { positionShift } from './position-shift';
import { redLine } from './red-line';

export type { Measure, Verdict } from './kind';

/** Every kind of alert rule, by name: a kind missing here fails `tsc`. */
const KINDS: { [K in RuleDefinition['kind']]: AlertKind<Extract<RuleDefinition, { kind: K }>, never> } = {
  gap_threshold: gapThreshold as never,
  gap_change: gapChange as never,
  position_shift: positionShift as never,
  red_line: redLine as never,
  news: news as never,
  outcome: outcome as never,
};

/** The kind of a rule; its measures are the ones that kind produced (the caller measured with it). */
const kindOf = (rule: RuleDefinition) => KINDS[rule.kind] as unknown as AlertKind<RuleDefinition, Measure>;

/** Reads what a rule watches from the projection, as of one (at, knownAt). */
export function measure(db: Kysely<Database>, negotiationId: string, rule: RuleDefinition, asOf: AsOf): Promise<Measure> {
  return kindOf(rule).measure(db, negotiationId, rule, asOf);
}

/** Whether a change from `before` to `after` fires the rule: one verdict per firing. */
export function judge(rule: RuleDefinition, before: Measure, after: Measure): Verdict[] {
  return kindOf(rule).judge(rule, before, after);
}

/** The conditions a level rule holds at one measure, by key; null for an edge rule. */
export function conditions(rule: RuleDefinition, measured: Measure): Map<string, boolean> | null {
  return kindOf(rule).conditions(rule, measured);
}

/** The level conditions that held before and no longer do after: what resolves (if it fired). */
export function resolutions(rule: RuleDefinition, before: Measure, after: Measure): Verdict[] {
  const was = conditions(rule, before);
  if (!was) return [];
  const now = conditions(rule, after)!;
  return [...was].filter(([key, held]) => held && now.get(key) !== true).map(([key]) => ({ key, summary: kindOf(rule).cleared(rule, after, key) }));
}

/** Whether back-dated news restates what the rule watches (not for rules on recorded time alone). */
export function restates(rule: RuleDefinition): boolean {
  return kindOf(rule).timeless !== true;
}
