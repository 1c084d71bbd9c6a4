import type { Kysely } from 'kysely';
import type { Database } from '../database/schema';
import type { StoredEvent } from '../event-store/types';
import type { Projection } from '../projection-runner/projection';
import type { EventData } from '../negotiation/domain/events';
import { negotiationOf } from '../negotiation/domain/streams';
import type { newsEventSchemas } from './news-events';
import type { z } from 'zod';

type Data<T extends keyof typeof newsEventSchemas> = z.infer<(typeof newsEventSchemas)[T]>;

/** Feeds, items (every version), watch terms and dismissals: what the news routes read. */
async function projectNews(db: Kysely<Database>, events: StoredEvent[]): Promise<void> {
  for (const event of events) {
    switch (event.type) {
      case 'SourceRegistered': {
        const d = event.data as Data<'SourceRegistered'>;
        const row = { url: d.url, poll_interval: d.pollInterval, negotiations: JSON.stringify(d.negotiations), removed: false, position: event.globalPosition };
        await db.insertInto('news_sources').values({ id: d.source, ...row }).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
        break;
      }
      case 'SourceRemoved':
        await db.updateTable('news_sources').set({ removed: true, position: event.globalPosition }).where('id', '=', (event.data as Data<'SourceRemoved'>).source).execute();
        break;
      case 'NewsItemReceived': {
        const d = event.data as Data<'NewsItemReceived'>;
        await db
          .insertInto('news_items')
          .values({
            item_id: d.item,
            version_position: event.globalPosition,
            event_id: event.id,
            source_id: d.source,
            negotiation_id: d.negotiation,
            guid: d.guid,
            url: d.url,
            title: d.title,
            publisher: d.publisher,
            published_at: d.publishedAt,
            summary: d.summary,
            content_hash: d.contentHash,
            recorded_at: event.recordedAt,
          })
          .execute();
        break;
      }
      case 'WatchTermsSet': {
        const watch = event.data as Data<'WatchTermsSet'>;
        const row = { terms: JSON.stringify(watch.terms), case_sensitive: JSON.stringify(watch.caseSensitive ?? []), exclude: JSON.stringify(watch.exclude ?? []), position: event.globalPosition };
        await db
          .insertInto('news_watch')
          .values({ negotiation_id: negotiationOf(event.streamId), ...row })
          .onConflict((oc) => oc.column('negotiation_id').doUpdateSet(row))
          .execute();
        break;
      }
      case 'NewsItemDismissed': {
        const d = event.data as EventData['NewsItemDismissed'];
        await db.insertInto('news_dismissals').values({ negotiation_id: negotiationOf(event.streamId), item_id: d.item, reason: d.reason, position: event.globalPosition }).execute();
        break;
      }
    }
  }
}

export const newsProjection: Projection = {
  name: 'news',
  tables: ['news_sources', 'news_items', 'news_watch', 'news_dismissals'],
  project: projectNews,
};
