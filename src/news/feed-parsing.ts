import { parseFeed } from 'feedsmith';
import { instantOrDateTextSchema } from '../negotiation/domain/time';
import { newsItemInputSchema, type NewsItemInput } from './news-events';

export class FeedUnreadable extends Error {}

type Text = string | { value?: string } | undefined;
const textOf = (t: Text): string | undefined => {
  const value = typeof t === 'string' ? t : t?.value;
  const trimmed = value?.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return trimmed ? trimmed : undefined;
};

/** An instant as ISO 8601 text, or nothing when the feed's date is missing or unreadable. */
const isoOf = (date: string | undefined): string | undefined => {
  if (!date) return undefined;
  const parsed = new Date(date);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
};

interface Loose {
  title?: Text;
  guid?: { value?: string } | string;
  id?: string;
  link?: string;
  url?: string;
  links?: { href?: string; rel?: string }[];
  description?: Text;
  summary?: Text;
  content_text?: string;
  pubDate?: string;
  published?: string;
  updated?: string;
  date_published?: string;
  authors?: { name?: string }[];
}

/** What a feed's item may hold at most; longer text is trimmed, and its length noted. */
const LIMITS = { title: 1000, summary: 10_000, publisher: 200 } as const;

/** An item as read from a feed: what is stored, and the lengths of any text trimmed to fit. */
export type FeedItem = NewsItemInput & { originalLengths?: Partial<Record<keyof typeof LIMITS, number>> };

export interface FeedReading {
  items: FeedItem[];
  /** What was trimmed, set aside or refused, item by item: shown on the source (lastNotice). */
  notes: string[];
}

const trimmed = (text: string | undefined, max: number) => (text !== undefined && text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The items of an RSS 2.0, Atom 1.0 or JSON Feed 1.1 document (told apart by content, by
 * feedsmith, which never expands XML entities); the feed's own title is each item's publisher.
 * Nothing is dropped silently: text too long is trimmed (its original length kept with the
 * item), a date Parley cannot hold (before 1000 or after 9999) is set aside (the item takes
 * its arrival time), a link that is not http(s) is left out, and an item with no title or no
 * identity (guid, id or link) is refused; each of these is noted.
 */
export function feedItems(body: string): FeedReading {
  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(body);
  } catch (error) {
    throw new FeedUnreadable(`not an RSS, Atom or JSON feed: ${(error as Error).message}`);
  }
  const feed = parsed.feed as { title?: Text; items?: Loose[]; entries?: Loose[] };
  const publisher = textOf(feed.title);
  const entries = feed.items ?? feed.entries ?? [];
  const notes: string[] = [];
  const items = entries.flatMap((entry, index): FeedItem[] => {
    const link = entry.link ?? entry.url ?? entry.links?.find((l) => !l.rel || l.rel === 'alternate')?.href;
    const text = { title: textOf(entry.title), summary: textOf(entry.description ?? entry.summary ?? entry.content_text), publisher };
    const originalLengths: FeedItem['originalLengths'] = {};
    for (const field of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
      const length = text[field]?.length ?? 0;
      if (length > LIMITS[field]) originalLengths[field] = length;
    }
    const date = entry.pubDate ?? entry.published ?? entry.date_published ?? entry.updated;
    let publishedAt = isoOf(date);
    const label = `item ${index + 1}${text.title ? ` ("${text.title.slice(0, 60)}")` : ''}`;
    if (publishedAt !== undefined && !instantOrDateTextSchema.safeParse(publishedAt).success) {
      notes.push(`${label}: its date ${date} lies outside 1000–9999 and was set aside`);
      publishedAt = undefined;
    }
    for (const [field, length] of Object.entries(originalLengths)) {
      notes.push(`${label}: ${field} trimmed from ${length} to ${LIMITS[field as keyof typeof LIMITS]} characters`);
    }
    const candidate = {
      guid: (typeof entry.guid === 'string' ? entry.guid : entry.guid?.value) ?? entry.id,
      url: link,
      title: trimmed(text.title, LIMITS.title),
      publisher: trimmed(text.publisher, LIMITS.publisher),
      publishedAt,
      summary: trimmed(text.summary, LIMITS.summary),
    };
    const extra = Object.keys(originalLengths).length > 0 ? { originalLengths } : {};
    const item = newsItemInputSchema.safeParse(Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)));
    if (item.success) return [{ ...item.data, ...extra }];
    // A link that is not http(s) is left out, not the item.
    const withoutUrl = newsItemInputSchema.safeParse({ ...candidate, url: undefined, ...(candidate.guid ? {} : { guid: link }) });
    if (withoutUrl.success) return [{ ...withoutUrl.data, ...extra }];
    const why = withoutUrl.error.issues[0]!;
    notes.push(`${label} refused: ${why.path.join('.') || 'item'}: ${why.message}`);
    return [];
  });
  return { items, notes };
}
