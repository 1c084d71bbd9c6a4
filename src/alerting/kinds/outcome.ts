import { outcomesKnown } from '../../negotiation/outcomes/outcomes.repository';
import type { RuleDefinition } from '../alert-rules';
import { fmt, type AlertKind, type Measure, type Verdict } from './kind';

type Rule = Extract<RuleDefinition, { kind: 'outcome' }>;
type Outcomes = Extract<Measure, { kind: 'outcome' }>;

const said = (value: number | null) => (value === null ? 'no agreement' : fmt(value));

/**
 * A recorded outcome (news of an agreement, or of none), its correction or its retraction: the
 * biggest news of all. Judged on recorded time only: an outcome is news when it is recorded,
 * whatever date it names, so a back-dated one is not restated.
 */
export const outcome: AlertKind<Rule, Outcomes> = {
  measure: async (db, negotiationId, rule, asOf) => {
    const known = await outcomesKnown(db, negotiationId, asOf);
    return { kind: 'outcome', outcomes: Object.fromEntries(known.filter((o) => !rule.issue || o.issue === rule.issue).map((o) => [o.issue, { value: o.value, eventId: o.eventId }])) };
  },
  judge(_rule, before, after) {
    const issues = [...new Set([...Object.keys(before.outcomes), ...Object.keys(after.outcomes)])].sort();
    return issues.flatMap((issue): Verdict[] => {
      const [b, a] = [before.outcomes[issue], after.outcomes[issue]];
      if (!b && a) return [{ summary: `outcome recorded on ${issue}: ${said(a.value)}` }];
      if (b && !a) return [{ summary: `outcome on ${issue} retracted (was ${said(b.value)})` }];
      if (b && a && (b.value !== a.value || b.eventId !== a.eventId)) return [{ summary: `outcome on ${issue} now ${said(a.value)} (was ${said(b.value)})` }];
      return [];
    });
  },
  conditions: () => null,
  cleared: () => '',
  timeless: true,
};
