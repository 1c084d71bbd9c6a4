import type { RuleDefinition } from '../alert-rules';
import { outsideLine } from '../../negotiation/analysis/red-lines';
import { zonesOfAgreement } from '../../negotiation/analysis/zones';
import { issuesKnown, redLinesAt, stancesAt } from '../../negotiation/stances/stance.repository';
import { fmt, type AlertKind, type Measure } from './kind';

type Rule = Extract<RuleDefinition, { kind: 'red_line' }>;
type Lines = Extract<Measure, { kind: 'red_line' | 'zone' }>;

/**
 * Red lines, two ways. `stance`: another party's stance entering a party's unacceptable range, a
 * level rule keyed by that party. `zone`: the zone of agreement between two parties opening or
 * closing, an edge rule.
 */
export const redLine: AlertKind<Rule, Lines> = {
  async measure(db, negotiationId, rule, asOf) {
    const lines = await redLinesAt(db, negotiationId, asOf);
    if (rule.mode === 'zone') {
      const issues = (await issuesKnown(db, negotiationId, asOf)).filter((i) => i.issue === rule.issue);
      const [zone] = zonesOfAgreement(rule.parties, issues, lines);
      return { kind: 'zone', z: zone?.z ?? null };
    }
    const line = lines.find((l) => l.party === rule.party && l.issue === rule.issue);
    const stances = (await stancesAt(db, negotiationId, asOf)).filter((s) => s.issue === rule.issue && s.party !== rule.party && (!rule.of || s.party === rule.of));
    return { kind: 'red_line', line: line ? { min: line.min, max: line.max } : null, values: Object.fromEntries(stances.map((s) => [s.party, s.value])) };
  },
  judge(rule, before, after) {
    if (rule.mode === 'zone') {
      const [b, a] = [before.kind === 'zone' ? before.z : null, after.kind === 'zone' ? after.z : null];
      if (b === null || a === null || b >= 0 === a >= 0) return [];
      const [x, y] = rule.parties;
      return [{ summary: a >= 0 ? `a zone of agreement on ${rule.issue} opened between ${x} and ${y} (${fmt(a)} wide)` : `the zone of agreement on ${rule.issue} between ${x} and ${y} closed (short by ${fmt(-a)})` }];
    }
    if (before.kind !== 'red_line' || after.kind !== 'red_line') return [];
    const [b, a] = [before, after];
    return Object.entries(a.values)
      .filter(([party, value]) => outsideLine(value, a.line) && !(party in b.values && outsideLine(b.values[party]!, b.line)))
      .map(([party, value]) => ({ summary: `${party}'s stance on ${rule.issue} (${fmt(value)}) entered ${rule.party}'s unacceptable range`, key: party }));
  },
  conditions(rule, measured) {
    if (rule.mode !== 'stance' || measured.kind !== 'red_line') return null;
    return new Map(Object.entries(measured.values).map(([party, value]) => [party, outsideLine(value, measured.line)]));
  },
  cleared: (rule, _after, key) => (rule.mode === 'stance' ? `${key}'s stance on ${rule.issue} is no longer in ${rule.party}'s unacceptable range` : ''),
};
