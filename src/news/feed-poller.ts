import { Duration } from 'luxon';
import { inSpan } from '../shared/tracing';
import { sql } from 'kysely';
import type { DatabaseConnection } from '../database/connection';
import type { EventStore } from '../event-store/event-store';
import { sourceStream } from '../negotiation/domain/streams';
import { Periodic } from '../outbound/periodic';
import { outboundRequest } from '../outbound/request';
import { feedItems } from './feed-parsing';
import { itemReceived } from './news-items';
import { appendItems } from './news-intake';

export interface PollerOptions {
  allow: string[];
  timeoutMs: number;
  maxBytes: number;
  /** How often due sources are looked for. */
  tickMs: number;
  /** Bounds on what one source may append: per poll, per hour, and how often it is polled at most. */
  maxItemsPerPoll: number;
  maxItemsPerHour: number;
  minIntervalMs: number;
  onPolled?: (outcome: { source: string; appended: number; heldBack?: number; error?: string }) => void;
}

const MAX_REDIRECTS = 3;
const MAX_BACKOFF_MS = 3_600_000;

interface Due {
  source_id: string;
  url: string;
  poll_interval: string;
  etag: string | null;
  last_modified: string | null;
  failures: number;
  /** Items this source appended in the hour that is running (0 when none is). */
  hour_items: number;
}

/** Notes shown on a source at most, the rest counted. */
const MAX_NOTES = 10;

/**
 * Polls registered feeds. A due source is claimed by pushing its next poll past a lease (skip
 * locked), so several instances share the work and none polls a source twice at once; items
 * have content-derived ids, so even a double poll stores each version once. Conditional GET
 * (ETag, Last-Modified), a size limit, a timeout, redirects followed only to allowed hosts,
 * exponential back-off on errors; the outcome is kept in news_source_status.
 */
export class FeedPoller {
  private readonly periodic: Periodic;

  constructor(
    private readonly connection: DatabaseConnection,
    private readonly store: EventStore,
    private readonly options: PollerOptions,
  ) {
    this.periodic = new Periodic(this.options.tickMs, () => this.pollDue());
  }

  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** Polls every source that is due; returns how many it polled. */
  async pollDue(limit = 5): Promise<number> {
    const lease = `${this.options.timeoutMs * (MAX_REDIRECTS + 1) + 5000} milliseconds`;
    const { rows } = await sql<Due>`
      update news_source_status st set next_poll_at = now() + ${lease}::interval
      from news_sources s
      where s.id = st.source_id and st.source_id in (
        select st2.source_id from news_source_status st2 join news_sources s2 on s2.id = st2.source_id
        where not s2.removed and st2.next_poll_at <= now()
        order by st2.next_poll_at limit ${limit}
        for update of st2 skip locked)
      returning st.source_id, s.url, s.poll_interval, st.etag, st.last_modified, st.failures,
        case when st.window_started_at > now() - interval '1 hour' then st.window_items else 0 end as hour_items`.execute(this.connection.db);
    for (const due of rows) await this.poll(due);
    return rows.length;
  }

  /** One source's poll, in a span of its own (its items' appends are children of it). */
  private poll(due: Due): Promise<void> {
    return inSpan('parley.news.poll', { attributes: { 'parley.source': due.source_id } }, () => this.pollOnce(due));
  }

  private async pollOnce(due: Due): Promise<void> {
    const interval = Math.max(Duration.fromISO(due.poll_interval).toMillis(), this.options.minIntervalMs);
    try {
      const answer = await this.fetch(due);
      if (answer.status === 304) {
        await sql`
          update news_source_status set last_fetched_at = now(), last_error = null, failures = 0,
            next_poll_at = now() + ${`${interval} milliseconds`}::interval
          where source_id = ${due.source_id}`.execute(this.connection.db);
        this.options.onPolled?.({ source: due.source_id, appended: 0 });
        return;
      }
      const { items, notes } = feedItems(answer.body.toString('utf8'));
      const received = items.map((item) => itemReceived({ source: due.source_id }, item));
      const budget = Math.min(this.options.maxItemsPerPoll, this.options.maxItemsPerHour - due.hour_items);
      const { appended, heldBack } = await appendItems(this.store, sourceStream(due.source_id), received, budget);
      if (heldBack > 0) {
        const bound = budget === this.options.maxItemsPerPoll ? `PARLEY_NEWS_MAX_ITEMS_PER_POLL (${this.options.maxItemsPerPoll})` : `PARLEY_NEWS_MAX_ITEMS_PER_HOUR (${this.options.maxItemsPerHour})`;
        notes.unshift(`${heldBack} new item version(s) held back for a later poll: over ${bound}`);
      }
      // Held-back items must come again: the validators are dropped, so the next poll is a full GET.
      const keepValidators = heldBack === 0;
      await sql`
        update news_source_status set last_fetched_at = now(), last_error = null, failures = 0,
          last_notice = ${noticeOf(notes)},
          etag = ${keepValidators ? sql`coalesce(${header(answer.headers.etag)}, etag)` : sql`null`},
          last_modified = ${keepValidators ? sql`coalesce(${header(answer.headers['last-modified'])}, last_modified)` : sql`null`},
          window_items = case when window_started_at > now() - interval '1 hour' then window_items else 0 end + ${appended},
          window_started_at = case when window_started_at > now() - interval '1 hour' then window_started_at else now() end,
          next_poll_at = now() + ${`${interval} milliseconds`}::interval
        where source_id = ${due.source_id}`.execute(this.connection.db);
      this.options.onPolled?.({ source: due.source_id, appended, ...(heldBack > 0 ? { heldBack } : {}) });
    } catch (error) {
      const message = (error as Error).message.slice(0, 500);
      const delay = Math.min(interval * 2 ** due.failures, Math.max(interval, MAX_BACKOFF_MS));
      await sql`
        update news_source_status set last_fetched_at = now(), last_error = ${message}, failures = failures + 1,
          next_poll_at = now() + ${`${delay} milliseconds`}::interval
        where source_id = ${due.source_id}`.execute(this.connection.db);
      this.options.onPolled?.({ source: due.source_id, appended: 0, error: message });
    }
  }

  /** GET with the validators of the last answer; redirects are followed to allowed hosts only. */
  private async fetch(due: Due) {
    let url = due.url;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { 'user-agent': 'parley-news', accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/json, application/xml, text/xml;q=0.9, */*;q=0.1' };
      if (due.etag) headers['if-none-match'] = due.etag;
      if (due.last_modified) headers['if-modified-since'] = due.last_modified;
      const answer = await outboundRequest(url, { method: 'GET', headers, timeoutMs: this.options.timeoutMs, maxBytes: this.options.maxBytes, allow: this.options.allow });
      if (answer.status >= 300 && answer.status < 400 && answer.status !== 304) {
        const location = header(answer.headers.location);
        if (!location || hop === MAX_REDIRECTS) throw new Error(`HTTP ${answer.status}${location ? ': too many redirects' : ' without a Location'}`);
        url = new URL(location, url).toString();
        continue;
      }
      if (answer.status !== 304 && (answer.status < 200 || answer.status >= 300)) throw new Error(`HTTP ${answer.status}`);
      return answer;
    }
  }
}

const header = (value: string | string[] | undefined): string | null => (Array.isArray(value) ? (value[0] ?? null) : (value ?? null));

/** What the last poll noted (trimmed text, dates set aside, items refused or held back), or null. */
function noticeOf(notes: string[]): string | null {
  if (notes.length === 0) return null;
  const shown = notes.slice(0, MAX_NOTES).join('; ');
  return notes.length > MAX_NOTES ? `${shown}; and ${notes.length - MAX_NOTES} more` : shown;
}
