import { Duration } from 'luxon';
import type { Kysely } from 'kysely';
import type { Database } from '../database/schema';
import { zonesOfAgreement } from '../negotiation/analysis/zones';
import type { AsOf } from '../negotiation/stances/stance';
import { pairGap } from '../negotiation/analysis/gaps';
import { issuesKnown, redLinesAt, stancesAt } from '../negotiation/stances/stance.repository';
import type { Measure } from './verdicts';
import type { RuleDefinition } from './alert-rules';

/** Reads what a rule watches from the projection, as of one (at, knownAt). */
export async function measure(db: Kysely<Database>, negotiationId: string, rule: RuleDefinition, asOf: AsOf): Promise<Measure> {
  switch (rule.kind) {
    case 'news':
      return { kind: 'news' };
    case 'gap_threshold':
      return { kind: 'gap', value: await gap(db, negotiationId, rule, asOf) };
    case 'gap_change': {
      const earlier = new Date(asOf.at.getTime() - Duration.fromISO(rule.window).toMillis());
      const now = await gap(db, negotiationId, rule, asOf);
      const then = await gap(db, negotiationId, rule, { at: earlier, knownAt: asOf.knownAt });
      return { kind: 'gap_change', now, then, change: now === null || then === null ? null : now - then };
    }
    case 'position_shift': {
      const stances = await stancesAt(db, negotiationId, asOf);
      return { kind: 'stance', value: stances.find((s) => s.party === rule.party && s.issue === rule.issue)?.value ?? null };
    }
    case 'red_line': {
      const lines = await redLinesAt(db, negotiationId, asOf);
      if (rule.mode === 'zone') {
        const issues = (await issuesKnown(db, negotiationId, asOf.knownAt)).filter((i) => i.issue === rule.issue);
        const [zone] = zonesOfAgreement(rule.parties, issues, lines);
        return { kind: 'zone', z: zone?.z ?? null };
      }
      const line = lines.find((l) => l.party === rule.party && l.issue === rule.issue);
      const stances = (await stancesAt(db, negotiationId, asOf)).filter(
        (s) => s.issue === rule.issue && s.party !== rule.party && (!rule.of || s.party === rule.of),
      );
      return {
        kind: 'red_line',
        line: line ? { min: line.min, max: line.max } : null,
        values: Object.fromEntries(stances.map((s) => [s.party, s.value])),
      };
    }
  }
}

async function gap(
  db: Kysely<Database>,
  negotiationId: string,
  rule: { a: string; b: string; issue?: string | undefined },
  asOf: AsOf,
): Promise<number | null> {
  const [stances, issues] = await Promise.all([stancesAt(db, negotiationId, asOf), issuesKnown(db, negotiationId, asOf.knownAt)]);
  const pair = pairGap(rule.a, rule.b, stances, issues);
  if (!rule.issue) return pair.overall;
  return pair.issues.find((i) => i.issue === rule.issue)?.gap ?? null;
}
