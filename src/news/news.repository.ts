import type { Watch } from './matching';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database/schema';
import type { NewsItemReceived } from './news-events';

export interface SourceView {
  id: string;
  url: string;
  pollInterval: string;
  negotiations: string[];
  lastFetchedAt: Date | null;
  lastError: string | null;
  /** What the last poll that read items trimmed, set aside, refused or held back; null when nothing. */
  lastNotice: string | null;
  /** Items seen from it (each item once, however many versions). */
  items: number;
}

/** How a source's polling goes: written by the poller beside the log, not projected from it. */
export interface PollStatus {
  lastFetchedAt: Date | null;
  lastError: string | null;
  lastNotice: string | null;
}

/**
 * The poll status of every source (or one), read straight from the primary. A sources read
 * takes it *before* the read gate's first look: the poller appends a poll's items, then writes
 * its status, so every status seen here has its items at or below the head the look finds next,
 * and the answer never reports a poll whose items it does not count (tests/integration/news).
 */
export async function pollStatuses(db: Kysely<Database>, id?: string): Promise<Map<string, PollStatus>> {
  let query = db.selectFrom('news_source_status').select(['source_id', 'last_fetched_at', 'last_error', 'last_notice']);
  if (id !== undefined) query = query.where('source_id', '=', id);
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.source_id, { lastFetchedAt: r.last_fetched_at, lastError: r.last_error, lastNotice: r.last_notice }]));
}

/** Registered, not removed sources (projected) with the poll status read before the gate opened. */
export async function sourcesOf(db: Kysely<Database>, statuses: Map<string, PollStatus>, id?: string): Promise<SourceView[]> {
  const { rows } = await sql<{ id: string; url: string; poll_interval: string; negotiations: string[]; items: string }>`
    select s.id, s.url, s.poll_interval, s.negotiations,
           (select count(distinct i.item_id) from news_items i where i.source_id = s.id) as items
    from news_sources s
    where not s.removed ${id === undefined ? sql`` : sql`and s.id = ${id}`}
    order by s.id`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    pollInterval: r.poll_interval,
    negotiations: r.negotiations,
    ...(statuses.get(r.id) ?? { lastFetchedAt: null, lastError: null, lastNotice: null }),
    items: Number(r.items),
  }));
}

export interface ItemRow {
  itemId: string;
  sourceId: string | null;
  guid: string | null;
  url: string | null;
  title: string;
  publisher: string | null;
  publishedAt: Date | null;
  summary: string | null;
  recordedAt: Date;
}

/**
 * The latest version of every item that may concern a negotiation: pushed to it, or from a
 * source registered for it (also one removed since: its items stay evidence).
 */
export async function itemsFor(db: Kysely<Database>, negotiationId: string): Promise<ItemRow[]> {
  const { rows } = await sql<{
    item_id: string;
    source_id: string | null;
    guid: string | null;
    url: string | null;
    title: string;
    publisher: string | null;
    published_at: Date | null;
    summary: string | null;
    recorded_at: Date;
  }>`
    select distinct on (i.item_id) i.item_id, i.source_id, i.guid, i.url, i.title, i.publisher, i.published_at, i.summary, i.recorded_at
    from news_items i
    where i.negotiation_id = ${negotiationId}
       or i.source_id in (select s.id from news_sources s where s.negotiations ? ${negotiationId})
    order by i.item_id, i.version_position desc`.execute(db);
  return rows.map((r) => ({
    itemId: r.item_id,
    sourceId: r.source_id,
    guid: r.guid,
    url: r.url,
    title: r.title,
    publisher: r.publisher,
    publishedAt: r.published_at,
    summary: r.summary,
    recordedAt: r.recorded_at,
  }));
}

/** The negotiation's own watch, or null when it keeps the default one. */
export async function watchTermsOf(db: Kysely<Database>, negotiationId: string): Promise<Watch | null> {
  const row = await db.selectFrom('news_watch').select(['terms', 'case_sensitive', 'exclude']).where('negotiation_id', '=', negotiationId).executeTakeFirst();
  return row ? { terms: row.terms, caseSensitive: row.case_sensitive, exclude: row.exclude } : null;
}

/** Items dismissed from the negotiation's inbox, with the latest reason. */
export async function dismissalsOf(db: Kysely<Database>, negotiationId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('news_dismissals').select(['item_id', 'reason']).where('negotiation_id', '=', negotiationId).orderBy('position').execute();
  return new Map(rows.map((r) => [r.item_id, r.reason]));
}

/** The negotiation's events that cite a news item (`source.itemId`), by item, in log order. */
export async function citationsIn(db: Kysely<Database>, negotiationId: string): Promise<Map<string, string[]>> {
  const { rows } = await sql<{ item: string; id: string }>`
    select metadata->'source'->>'itemId' as item, id from events
    where stream_id = ${negotiationId} and metadata->'source'->>'itemId' is not null
    order by global_position`.execute(db);
  const byItem = new Map<string, string[]>();
  for (const r of rows) byItem.set(r.item, [...(byItem.get(r.item) ?? []), r.id]);
  return byItem;
}

/** The latest version of each item, read from the log itself (what citing an item is checked against). */
export async function storedItems(db: Kysely<Database>, ids: string[]): Promise<Map<string, NewsItemReceived>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ data: NewsItemReceived }>`
    select distinct on (data->>'item') data from events
    where type = 'NewsItemReceived' and data->>'item' in (${sql.join(ids)})
    order by data->>'item', global_position desc`.execute(db);
  return new Map(rows.map((r) => [r.data.item, r.data]));
}
