import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import type { Kysely } from 'kysely';
import type { Database } from '../database/schema';
import { issuesKnown, partiesKnown } from '../negotiation/stances/stance.repository';
import { defaultWatch, matchedTerms, type Watch } from './matching';
import { ReadGate, type ReadContext } from '../projection-runner/read-gate';
import { openNews } from './open-news';
import { citationsIn, dismissalsOf, itemsFor, pollStatuses, sourcesOf, watchTermsOf, type SourceView } from './news.repository';

export type InboxStatus = 'new' | 'coded' | 'dismissed';

/** What items are matched against: the negotiation's own watch, or the default one (matching.ts). */
export async function termsFor(db: Kysely<Database>, negotiationId: string, knownAt = new Date()): Promise<Watch> {
  return (await watchTermsOf(db, negotiationId)) ?? defaultWatchOf(db, negotiationId, knownAt);
}

/** The default watch: from the parties and issues known at knownAt. */
async function defaultWatchOf(db: Kysely<Database>, negotiationId: string, knownAt: Date): Promise<Watch> {
  const [parties, issues] = await Promise.all([partiesKnown(db, negotiationId, { knownAt }), issuesKnown(db, negotiationId, { knownAt })]);
  return defaultWatch(parties, issues);
}

export class ListSources extends Query<{ sources: SourceView[] }> {
  constructor(readonly sourceId?: string, readonly read?: ReadContext) {
    super();
  }
}

@QueryHandler(ListSources)
export class ListSourcesHandler implements IQueryHandler<ListSources> {
  constructor(
    private readonly gate: ReadGate,
    @Inject(DATABASE) private readonly connection: DatabaseConnection,
  ) {}

  async execute({ sourceId, read }: ListSources) {
    // The poll status first, then the gate: news.repository.ts, pollStatuses.
    const statuses = await pollStatuses(this.connection.db, sourceId);
    return { sources: await sourcesOf(await openNews(this.gate, undefined, read), statuses, sourceId) };
  }
}

export class GetWatchTerms extends Query<Watch & { default: boolean }> {
  constructor(readonly negotiationId: string, readonly read?: ReadContext) {
    super();
  }
}

@QueryHandler(GetWatchTerms)
export class GetWatchTermsHandler implements IQueryHandler<GetWatchTerms> {
  constructor(private readonly gate: ReadGate) {}

  async execute({ negotiationId, read }: GetWatchTerms) {
    const db = await openNews(this.gate, negotiationId, read);
    const own = await watchTermsOf(db, negotiationId);
    return { ...(own ?? (await defaultWatchOf(db, negotiationId, new Date()))), default: own === null };
  }
}

export class GetInbox extends Query<{ items: unknown[]; next: string | null }> {
  constructor(
    readonly negotiationId: string,
    readonly status?: InboxStatus,
    readonly page: { limit: number; after?: string | undefined } = { limit: 100 },
    readonly read?: ReadContext,
  ) {
    super();
  }
}

/**
 * The items that concern a negotiation: those matching its watch terms, and any it coded or
 * dismissed. Coded (an event cites it) wins over dismissed; newest first.
 */
@QueryHandler(GetInbox)
export class GetInboxHandler implements IQueryHandler<GetInbox> {
  constructor(private readonly gate: ReadGate) {}

  async execute({ negotiationId, status, page, read }: GetInbox) {
    const db = await openNews(this.gate, negotiationId, read);
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
    const sorted = inbox.map((item) => ({ item, cursor: cursorOf(item) })).sort((a, b) => (a.cursor < b.cursor ? -1 : a.cursor > b.cursor ? 1 : 0));
    const start = page.after === undefined ? 0 : sorted.findIndex(({ cursor }) => cursor > page.after!);
    const taken = start === -1 ? [] : sorted.slice(start, start + page.limit);
    const more = start !== -1 && start + page.limit < sorted.length;
    return { items: taken.map(({ item }) => item), next: more ? taken[taken.length - 1]!.cursor : null };
  }
}

/**
 * Where an item stands in the inbox's order (newest first, then by id), as a string that sorts
 * that way: the milliseconds count down from a far future. A page's `next` is its last item's
 * cursor, so an item that moves to another status never shifts a page already read.
 */
function cursorOf(item: { publishedAt: string | null; receivedAt: string; id: string }): string {
  const millis = Date.parse(item.publishedAt ?? item.receivedAt);
  return `${String(9e15 - millis).padStart(17, '0')}.${item.id}`;
}

export const newsQueryHandlers = [ListSourcesHandler, GetWatchTermsHandler, GetInboxHandler];
