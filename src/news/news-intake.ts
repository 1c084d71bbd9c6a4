import { IdConflict } from '../event-store/errors';
import type { EventStore } from '../event-store/event-store';
import type { NewsItemReceived } from './news-events';

/**
 * Appends item versions not stored yet. An item without publishedAt takes the time it first
 * arrived as its valid time, so a version already stored is left out before the append (its
 * occurredAt would differ); a concurrent poller that stored it meanwhile makes the append an
 * id conflict, and the second try leaves it out too.
 */
export async function appendItems(store: EventStore, streamId: string, items: { id: string; data: NewsItemReceived }[]): Promise<number> {
  const unique = [...new Map(items.map((i) => [i.id, i])).values()];
  for (let attempt = 1; ; attempt++) {
    const stored = await store.storedIds(unique.map((i) => i.id));
    const fresh = unique.filter((i) => !stored.has(i.id));
    if (fresh.length === 0) return 0;
    try {
      const now = Date.now();
      const result = await store.appendToStream(
        streamId,
        fresh.map((i) => ({ id: i.id, type: 'NewsItemReceived', data: i.data, occurredAt: new Date(i.data.publishedAt ?? now) })),
      );
      return result.appended;
    } catch (error) {
      if (!(error instanceof IdConflict) || attempt === 3) throw error;
    }
  }
}
