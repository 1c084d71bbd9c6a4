import { sql, type Kysely } from 'kysely';
import type { Database } from '../database/schema';
import { partiesKnown, issuesKnown } from '../negotiation/stances/stance.repository';
import { matchedTerms } from '../news/matching';
import type { NewsItemReceived } from '../news/news-events';
import { termsFor } from '../news/news.queries';
import { rulesInForce, type Firing } from './judge-append';

interface ItemRow {
  id: string;
  global_position: string;
  recorded_at: Date;
  data: NewsItemReceived;
  /** Whether an earlier version of the item is stored: an edit, not news. */
  seen: boolean;
  negotiations: string[] | null;
}

/**
 * `news` rules, judged on the items recorded in (after, upTo]: a new item (not an edit) that
 * concerns the negotiation (pushed to it, or from a source registered for it) and names one
 * of the rule's terms (default: the watch terms), and the rule's party or issue if it has one.
 * At = knownAt = the item's recordedAt, like every firing.
 */
export async function judgeNews(db: Kysely<Database>, after: number, upTo: number): Promise<Map<string, Firing[]>> {
  const { rows } = await sql<ItemRow>`
    select e.id, e.global_position, e.recorded_at, e.data,
           exists (select 1 from events p where p.type = 'NewsItemReceived' and p.data->>'item' = e.data->>'item'
                   and p.global_position < e.global_position) as seen,
           (select s.negotiations from news_sources s where s.id = e.data->>'source') as negotiations
    from events e
    where e.type = 'NewsItemReceived' and e.global_position > ${after} and e.global_position <= ${upTo}
    order by e.global_position`.execute(db);
  const byNegotiation = new Map<string, Firing[]>();
  for (const row of rows.filter((r) => !r.seen)) {
    const concerned = row.data.negotiation ? [row.data.negotiation] : (row.negotiations ?? []);
    for (const negotiationId of concerned) {
      const firings = await judgeItem(db, negotiationId, row);
      if (firings.length > 0) byNegotiation.set(negotiationId, [...(byNegotiation.get(negotiationId) ?? []), ...firings]);
    }
  }
  return byNegotiation;
}

async function judgeItem(db: Kysely<Database>, negotiationId: string, row: ItemRow): Promise<Firing[]> {
  const position = Number(row.global_position);
  const rules = (await rulesInForce(db, negotiationId, position)).filter((r) => r.definition.kind === 'news');
  if (rules.length === 0) return [];
  const at = row.recorded_at;
  const [watch, parties, issues] = await Promise.all([termsFor(db, negotiationId, at), partiesKnown(db, negotiationId, at), issuesKnown(db, negotiationId, at)]);
  const firings: Firing[] = [];
  for (const rule of rules) {
    if (rule.definition.kind !== 'news') continue;
    const { terms, party, issue } = rule.definition;
    const matched = matchedTerms(terms ?? watch, row.data);
    if (matched.length === 0) continue;
    const named = party ? parties.find((p) => p.party === party) : undefined;
    if (party && (!named || matchedTerms([named.name, ...named.aliases], row.data).length === 0)) continue;
    const title = issue ? issues.find((i) => i.issue === issue)?.title : undefined;
    if (issue && (!title || matchedTerms([title], row.data).length === 0)) continue;
    firings.push({
      type: 'AlertFired',
      rule,
      triggeringEvent: { id: row.id, globalPosition: position, type: 'NewsItemReceived' },
      at,
      knownAt: at,
      before: { kind: 'news' },
      after: { kind: 'news', item: row.data.item, title: row.data.title, matchedTerms: matched },
      summary: `news on ${matched.join(', ')}: ${row.data.title}`,
    });
  }
  return firings;
}
