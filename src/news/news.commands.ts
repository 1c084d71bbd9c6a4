import { randomBytes } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { z } from 'zod';
import { CONFIG, type Config } from '../config/config';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import { DomainError } from '../shared/domain-error';
import { EventStore } from '../event-store/event-store';
import { RuleViolation, UnknownNegotiation, requireNegotiation } from '../negotiation/domain/errors';
import { newsStream, sourceStream } from '../negotiation/domain/streams';
import { hostAllowed } from '../outbound/allow-list';
import type { NewsItemInput, registerSourceSchema } from './news-events';
import { appendItems } from './news-intake';
import { itemReceived } from './news-items';
import { matchedTerms, once, type Watch } from './matching';
import { termsFor } from './news.queries';
import { ReadGate } from '../projection-runner/read-gate';
import { openNews } from './open-news';

export class UnknownSource extends DomainError {
  readonly code = 'NEWS.UNKNOWN_SOURCE';
  constructor(readonly sourceId: string) {
    super(`No source "${sourceId}"`);
  }
}

export class SourceExists extends DomainError {
  readonly code = 'NEWS.SOURCE_EXISTS';
  constructor(readonly sourceId: string) {
    super(`A source "${sourceId}" is already registered: remove it first, or choose another id`);
  }
}

type SourceInput = z.infer<typeof registerSourceSchema>;

export class RegisterSource extends Command<{ id: string; url: string; pollInterval: string; negotiations: string[] }> {
  constructor(readonly input: SourceInput) {
    super();
  }
}

export class RemoveSource extends Command<void> {
  constructor(readonly sourceId: string) {
    super();
  }
}

export class ReceiveNews extends Command<{ items: { id: string; matched: boolean; matchedTerms: string[] }[]; appended: number }> {
  constructor(readonly negotiationId: string, readonly items: NewsItemInput[]) {
    super();
  }
}

export class SetWatchTerms extends Command<Watch> {
  constructor(readonly negotiationId: string, readonly watch: { terms: string[]; caseSensitive: string[]; exclude: string[] }) {
    super();
  }
}

/** Whether a source's stream ends registered (not removed): the log is the truth, not a projection. */
async function registered(store: EventStore, sourceId: string): Promise<boolean> {
  const events = await store.readStream(sourceStream(sourceId));
  const last = events.filter((e) => e.type === 'SourceRegistered' || e.type === 'SourceRemoved').pop();
  return last?.type === 'SourceRegistered';
}

/** A default id from the feed's host: `www.reuters.com` → `reuters-com-3f9a`. */
const defaultId = (url: string) =>
  `${new URL(url).hostname.replace(/^www\./, '').replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 50)}-${randomBytes(2).toString('hex')}`;

@CommandHandler(RegisterSource)
export class RegisterSourceHandler implements ICommandHandler<RegisterSource> {
  constructor(
    private readonly store: EventStore,
    @Inject(DATABASE) private readonly database: DatabaseConnection,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async execute({ input }: RegisterSource) {
    const problems = [];
    if (!hostAllowed(input.url, this.config.PARLEY_FEED_ALLOW)) {
      problems.push({ code: 'NEWS.FEED_NOT_ALLOWED', path: ['url'], message: 'The feed host is not in PARLEY_FEED_ALLOW (Parley fetches only from hosts it is told to)' });
    }
    for (const [i, nid] of input.negotiations.entries()) {
      // Each unknown one named at its path (a 422 listing them all, not the first one's 404).
      try {
        requireNegotiation(nid, await this.store.streamVersion(nid));
      } catch (error) {
        if (!(error instanceof UnknownNegotiation)) throw error;
        problems.push({ code: error.code, path: ['negotiations', i], message: error.message });
      }
    }
    if (problems.length > 0) throw new RuleViolation(problems);
    const id = input.id ?? defaultId(input.url);
    if (await registered(this.store, id)) throw new SourceExists(id);
    const version = await this.store.streamVersion(sourceStream(id));
    await this.store.appendToStream(
      sourceStream(id),
      [{ type: 'SourceRegistered', occurredAt: new Date(), data: { source: id, url: input.url, pollInterval: input.pollInterval, negotiations: input.negotiations } }],
      // Two registrations of one id at once: one wins, the other is a conflict.
      { expectedVersion: version === 0 ? 'no_stream' : version },
    );
    await this.database.db
      .insertInto('news_source_status')
      .values({ source_id: id, next_poll_at: new Date() })
      .onConflict((oc) => oc.column('source_id').doUpdateSet({ next_poll_at: new Date(), failures: 0, last_error: null, etag: null, last_modified: null }))
      .execute();
    return { id, url: input.url, pollInterval: input.pollInterval, negotiations: input.negotiations };
  }
}

@CommandHandler(RemoveSource)
export class RemoveSourceHandler implements ICommandHandler<RemoveSource> {
  constructor(private readonly store: EventStore) {}

  async execute({ sourceId }: RemoveSource) {
    if (!(await registered(this.store, sourceId))) throw new UnknownSource(sourceId);
    await this.store.appendToStream(sourceStream(sourceId), [{ type: 'SourceRemoved', occurredAt: new Date(), data: { source: sourceId } }]);
  }
}

@CommandHandler(ReceiveNews)
export class ReceiveNewsHandler implements ICommandHandler<ReceiveNews> {
  constructor(
    private readonly store: EventStore,
    private readonly gate: ReadGate,
  ) {}

  async execute({ negotiationId, items }: ReceiveNews) {
    requireNegotiation(negotiationId, await this.store.streamVersion(negotiationId));
    const received = items.map((item) => itemReceived({ negotiation: negotiationId }, item));
    const { appended } = await appendItems(this.store, newsStream(negotiationId), received);
    // Matched against the watch terms as last set (they live on `<nid>.news`).
    const terms = await termsFor(await openNews(this.gate), negotiationId);
    return {
      appended,
      items: received.map((r, i) => {
        const matched = matchedTerms(terms, items[i]!);
        return { id: r.data.item, matched: matched.length > 0, matchedTerms: matched };
      }),
    };
  }
}

@CommandHandler(SetWatchTerms)
export class SetWatchTermsHandler implements ICommandHandler<SetWatchTerms> {
  constructor(private readonly store: EventStore) {}

  async execute({ negotiationId, watch }: SetWatchTerms) {
    requireNegotiation(negotiationId, await this.store.streamVersion(negotiationId));
    // Each once: ignoring case where case is ignored, as written where it is not.
    const set = { terms: once(watch.terms, (t) => t.toLowerCase()), caseSensitive: once(watch.caseSensitive, (t) => t), exclude: once(watch.exclude, (t) => t.toLowerCase()) };
    await this.store.appendToStream(newsStream(negotiationId), [{ type: 'WatchTermsSet', occurredAt: new Date(), data: set }]);
    return set;
  }
}

export const newsCommandHandlers = [RegisterSourceHandler, RemoveSourceHandler, ReceiveNewsHandler, SetWatchTermsHandler];
