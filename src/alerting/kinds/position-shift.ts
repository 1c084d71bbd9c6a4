import type { RuleDefinition } from '../alert-rules';
import { stancesAt } from '../../negotiation/stances/stance.repository';
import { fmt, type AlertKind, type Measure } from './kind';

type Rule = Extract<RuleDefinition, { kind: 'position_shift' }>;
type Stance = Extract<Measure, { kind: 'stance' }>;

/** A party moving on an issue by more than a delta: an edge rule. */
export const positionShift: AlertKind<Rule, Stance> = {
  async measure(db, negotiationId, rule, asOf) {
    const stances = await stancesAt(db, negotiationId, asOf);
    return { kind: 'stance', value: stances.find((s) => s.party === rule.party && s.issue === rule.issue)?.value ?? null };
  },
  judge(rule, { value: b }, { value: a }) {
    if (b === null || a === null || Math.abs(a - b) <= rule.delta) return [];
    return [{ summary: `${rule.party} moved on ${rule.issue} from ${fmt(b)} to ${fmt(a)}` }];
  },
  conditions: () => null,
  cleared: () => '',
};
