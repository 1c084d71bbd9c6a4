import { parseFeed } from 'feedsmith';
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

/**
 * The items of an RSS 2.0, Atom 1.0 or JSON Feed 1.1 document (told apart by content, by
 * feedsmith, which never expands XML entities). Items without a title or an identity (guid,
 * id or link) are left out; the feed's own title is each item's publisher.
 */
export function feedItems(body: string): NewsItemInput[] {
  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(body);
  } catch (error) {
    throw new FeedUnreadable(`not an RSS, Atom or JSON feed: ${(error as Error).message}`);
  }
  const feed = parsed.feed as { title?: Text; items?: Loose[]; entries?: Loose[] };
  const publisher = textOf(feed.title);
  const entries = feed.items ?? feed.entries ?? [];
  return entries.flatMap((entry) => {
    const link = entry.link ?? entry.url ?? entry.links?.find((l) => !l.rel || l.rel === 'alternate')?.href;
    const candidate = {
      guid: (typeof entry.guid === 'string' ? entry.guid : entry.guid?.value) ?? entry.id,
      url: link,
      title: textOf(entry.title),
      publisher,
      publishedAt: isoOf(entry.pubDate ?? entry.published ?? entry.date_published ?? entry.updated),
      summary: textOf(entry.description ?? entry.summary ?? entry.content_text),
    };
    const item = newsItemInputSchema.safeParse(Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)));
    if (item.success) return [item.data];
    // A link that is not http(s) is dropped, not the item.
    const withoutUrl = newsItemInputSchema.safeParse({ ...candidate, url: undefined, ...(candidate.guid ? {} : { guid: link }) });
    return withoutUrl.success ? [withoutUrl.data] : [];
  });
}
