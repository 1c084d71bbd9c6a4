import type { Kysely } from 'kysely';
import type { Database } from '../../database/schema';
import { pairGap } from '../../negotiation/analysis/gaps';
import type { AsOf } from '../../negotiation/stances/stance';
import { issuesKnown, stancesAt } from '../../negotiation/stances/stance.repository';

/** The overall gap of a pair, or its gap on one issue, as of one (at, knownAt). */
export async function gapOf(db: Kysely<Database>, negotiationId: string, rule: { a: string; b: string; issue?: string | undefined }, asOf: AsOf): Promise<number | null> {
  const [stances, issues] = await Promise.all([stancesAt(db, negotiationId, asOf), issuesKnown(db, negotiationId, asOf)]);
  const pair = pairGap(rule.a, rule.b, stances, issues);
  if (!rule.issue) return pair.overall;
  return pair.issues.find((i) => i.issue === rule.issue)?.gap ?? null;
}
