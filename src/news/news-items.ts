import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { v5 as uuidv5 } from 'uuid';
import type { NewsItemInput, NewsItemReceived } from './news-events';

/** Namespace of news item ids: UUIDv5(scope + guid or url), and of their versions' event ids. */
const ITEM_NAMESPACE = 'b7c3e0a2-4d1f-5e8b-9a6c-3f2e1d0c9b8a';

/** Where an item came from: a registered source, or pushed to one negotiation. */
export type ItemScope = { source: string } | { negotiation: string };

const scopeKey = (scope: ItemScope) => ('source' in scope ? `source:${scope.source}` : `negotiation:${scope.negotiation}`);

/** An item is stored once however often it arrives: its id depends on where from and its guid (or url). */
export function itemId(scope: ItemScope, item: Pick<NewsItemInput, 'guid' | 'url'>): string {
  return uuidv5(`${scopeKey(scope)}\n${item.guid ?? item.url}`, ITEM_NAMESPACE);
}

/** The event for one version of an item; its id is a UUIDv5 of (item, content), so a re-poll appends nothing. */
export function itemReceived(scope: ItemScope, input: NewsItemInput & { originalLengths?: NewsItemReceived['originalLengths'] }): { id: string; data: NewsItemReceived } {
  const item = itemId(scope, input);
  const content = {
    guid: input.guid ?? null,
    url: input.url ?? null,
    title: input.title,
    publisher: input.publisher ?? null,
    publishedAt: input.publishedAt ? new Date(input.publishedAt).toISOString() : null,
    summary: input.summary ?? null,
  };
  const contentHash = createHash('sha256').update(canonicalize(content)!).digest('hex');
  return {
    id: uuidv5(`${item}\n${contentHash}`, ITEM_NAMESPACE),
    data: {
      item,
      source: 'source' in scope ? scope.source : null,
      negotiation: 'negotiation' in scope ? scope.negotiation : null,
      ...content,
      contentHash,
      ...(input.originalLengths ? { originalLengths: input.originalLengths } : {}),
    },
  };
}
