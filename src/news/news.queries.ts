import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Kysely } from 'kysely';
import type { Database } from '../database/schema';
import { issuesKnown, partiesKnown } from '../negotiation/stances/stance.repository';
import { defaultTerms, matchedTerms } from './matching';
import { NewsReadModel } from './news-read-model';
import { citationsIn, dismissalsOf, itemsFor, sourcesOf, watchTermsOf, type SourceView } from './news.repository';

export type InboxStatus = 'new' | 'coded' | 'dismissed';

/** The terms items are matched against: the negotiation's own, or the default ones. */
export async function termsFor(db: Kysely<Database>, negotiationId: string, knownAt = new Date()): Promise<string[]> {
  const own = await watchTermsOf(db, negotiationId);
  if (own) return own;
  const [parties, issues] = await Promise.all([partiesKnown(db, negotiationId, knownAt), issuesKnown(db, negotiationId, knownAt)]);
  return defaultTerms(parties, issues);
}

export class ListSources extends Query<{ sources: SourceView[] }> {
  constructor(readonly sourceId?: string) {
    super();
  }
}

@QueryHandler(ListSources)
export class ListSourcesHandler implements IQueryHandler<ListSources> {
  constructor(private readonly news: NewsReadModel) {}

  async execute({ sourceId }: ListSources) {
    return { sources: await sourcesOf(await this.news.open(), sourceId) };
  }
}

export class GetWatchTerms extends Query<{ terms: string[]; default: boolean }> {
  constructor(readonly negotiationId: string) {
    super();
  }
}

@QueryHandler(GetWatchTerms)
export class GetWatchTermsHandler implements IQueryHandler<GetWatchTerms> {
  constructor(private readonly news: NewsReadModel) {}

  async execute({ negotiationId }: GetWatchTerms) {
    const db = await this.news.open(negotiationId);
    const own = await watchTermsOf(db, negotiationId);
    return { terms: own ?? (await termsFor(db, negotiationId)), default: own === null };
  }
}

export class GetInbox extends Query<{ items: unknown[] }> {
  constructor(readonly negotiationId: string, readonly status?: InboxStatus) {
    super();
  }
}

/**
 * The items that concern a negotiation: those matching its watch terms, and any it coded or
 * dismissed. Coded (an event cites it) wins over dismissed; newest first.
 */
@QueryHandler(GetInbox)
export class GetInboxHandler implements IQueryHandler<GetInbox> {
  constructor(private readonly news: NewsReadModel) {}

  async execute({ negotiationId, status }: GetInbox) {
    const db = await this.news.open(negotiationId);
    const [items, terms, dismissals, citations] = await Promise.all([
      itemsFor(db, negotiationId),
      termsFor(db, negotiationId),
      dismissalsOf(db, negotiationId),
      citationsIn(db, negotiationId),
    ]);
    const inbox = items.flatMap((item) => {
      const matched = matchedTerms(terms, item);
      const events = citations.get(item.itemId) ?? [];
      const itemStatus: InboxStatus = events.length > 0 ? 'coded' : dismissals.has(item.itemId) ? 'dismissed' : 'new';
      if (matched.length === 0 && itemStatus === 'new') return [];
      if (status && itemStatus !== status) return [];
      return [
        {
          id: item.itemId,
          title: item.title,
          url: item.url,
          publisher: item.publisher,
          publishedAt: item.publishedAt?.toISOString() ?? null,
          summary: item.summary,
          source: item.sourceId,
          receivedAt: item.recordedAt.toISOString(),
          matchedTerms: matched,
          status: itemStatus,
          events,
          dismissedFor: itemStatus === 'dismissed' ? dismissals.get(item.itemId)! : null,
        },
      ];
    });
    inbox.sort((a, b) => (b.publishedAt ?? b.receivedAt).localeCompare(a.publishedAt ?? a.receivedAt));
    return { items: inbox };
  }
}

export const newsQueryHandlers = [ListSourcesHandler, GetWatchTermsHandler, GetInboxHandler];
