import type { RuleDefinition } from '../alert-rules';
import { stancesAt } from '../../negotiation/stances/stance.repository';
import { fmt, type AlertKind, type Measure } from './kind';

type Rule = Extract<RuleDefinition, { kind: 'position_shift' }>;
type Stance = Extract<Measure, { kind: 'stance' }>;

/**
 * A party moving on an issue by more than a delta: an edge rule. Its first stance on the issue
 * (a position tabled) and its withdrawal fire too: for a monitor, those are the biggest moves.
 */
export const positionShift: AlertKind<Rule, Stance> = {
  async measure(db, negotiationId, rule, asOf) {
    const stances = await stancesAt(db, negotiationId, asOf);
    return { kind: 'stance', value: stances.find((s) => s.party === rule.party && s.issue === rule.issue)?.value ?? null };
  },
  judge(rule, { value: b }, { value: a }) {
    if (b === null && a !== null) return [{ summary: `${rule.party} took a first stance on ${rule.issue}: ${fmt(a)}` }];
    if (b !== null && a === null) return [{ summary: `${rule.party} no longer has a stance on ${rule.issue} (was ${fmt(b)})` }];
    if (b === null || a === null || Math.abs(a - b) <= rule.delta) return [];
    return [{ summary: `${rule.party} moved on ${rule.issue} from ${fmt(b)} to ${fmt(a)}` }];
  },
  conditions: () => null,
  cleared: () => '',
};
