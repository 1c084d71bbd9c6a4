import { sql, type Kysely } from 'kysely';
import type { Database } from '../database/schema';
import type { StoredEvent } from '../event-store/types';
import { partiesKnown, issuesKnown } from '../negotiation/stances/stance.repository';
import { issueWatch, matchedTerms, partyWatch } from '../news/matching';
import type { NewsItemReceived } from '../news/news-events';
import { termsFor } from '../news/news.queries';
import { rulesInForce, type Firing } from './judge-append';

interface ItemRow {
  id: string;
  global_position: number;
  recorded_at: Date;
  data: NewsItemReceived;
  negotiations: string[] | null;
}

/**
 * `news` rules, judged on the batch's news items: a new item (not an edit of one stored
 * earlier) that concerns the negotiation (pushed to it, or from a source registered for it)
 * and names one of the rule's terms (default: the watch terms), and the rule's party or issue
 * if it has one. At = knownAt = the item's recordedAt, like every firing. The batch's events
 * are the projector's: only earlier versions and the sources are looked up.
 */
export async function judgeNews(db: Kysely<Database>, events: StoredEvent[]): Promise<Map<string, Firing[]>> {
  const items = events.filter((e) => e.type === 'NewsItemReceived');
  const byNegotiation = new Map<string, Firing[]>();
  if (items.length === 0) return byNegotiation;
  const data = (e: StoredEvent) => e.data as NewsItemReceived;
  const { rows: first } = await sql<{ item: string; position: string }>`
    select data->>'item' as item, min(global_position) as position from events
    where type = 'NewsItemReceived' and data->>'item' = any(${items.map((e) => data(e).item)})
    group by data->>'item'`.execute(db);
  const firstVersion = new Map(first.map((r) => [r.item, Number(r.position)]));
  const sourceIds = [...new Set(items.flatMap((e) => data(e).source ?? []))];
  const { rows: sources } = sourceIds.length === 0 ? { rows: [] } : await sql<{ id: string; negotiations: string[] }>`
    select id, negotiations from news_sources where id = any(${sourceIds})`.execute(db);
  const negotiationsOf = new Map(sources.map((s) => [s.id, s.negotiations]));
  for (const event of items) {
    const item = data(event);
    // An earlier version stored: an edit, not news.
    if ((firstVersion.get(item.item) ?? event.globalPosition) < event.globalPosition) continue;
    const row: ItemRow = { id: event.id, global_position: event.globalPosition, recorded_at: event.recordedAt, data: item, negotiations: item.source ? (negotiationsOf.get(item.source) ?? null) : null };
    const concerned = item.negotiation ? [item.negotiation] : (row.negotiations ?? []);
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
  const [watch, parties, issues] = await Promise.all([termsFor(db, negotiationId, at), partiesKnown(db, negotiationId, { knownAt: at }), issuesKnown(db, negotiationId, { knownAt: at })]);
  const firings: Firing[] = [];
  for (const rule of rules) {
    if (rule.definition.kind !== 'news') continue;
    const { terms, party, issue } = rule.definition;
    // A rule's own terms replace the watch's (case-insensitive, as the contract has them); the watch's exclusions still hold.
    const matched = matchedTerms(terms ? { terms, caseSensitive: [], exclude: watch.exclude } : watch, row.data);
    if (matched.length === 0) continue;
    const named = party ? parties.find((p) => p.party === party) : undefined;
    if (party && (!named || matchedTerms(partyWatch(named), row.data).length === 0)) continue;
    const known = issue ? issues.find((i) => i.issue === issue) : undefined;
    if (issue && (!known || matchedTerms(issueWatch(known), row.data).length === 0)) continue;
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
