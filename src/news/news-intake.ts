import { IdConflict } from '../event-store/errors';
import type { EventStore } from '../event-store/event-store';
import type { NewsItemReceived } from './news-events';

/**
 * Appends item versions not stored yet, at most `max` of them (the rest are held back). An item without publishedAt takes the time it first
 * arrived as its valid time, so a version already stored is left out before the append (its
 * occurredAt would differ); a concurrent poller that stored it meanwhile makes the append an
 * id conflict, and the second try leaves it out too.
 */
export async function appendItems(
  store: EventStore,
  streamId: string,
  items: { id: string; data: NewsItemReceived }[],
  max = Infinity,
): Promise<{ appended: number; heldBack: number }> {
  const unique = [...new Map(items.map((i) => [i.id, i])).values()];
  for (let attempt = 1; ; attempt++) {
    const stored = await store.storedIds(unique.map((i) => i.id));
    const fresh = unique.filter((i) => !stored.has(i.id));
    // Over the caller's bound, the first ones in the feed's order (feeds list the newest first).
    const taken = fresh.slice(0, Math.max(0, max));
    const heldBack = fresh.length - taken.length;
    if (taken.length === 0) return { appended: 0, heldBack };
    try {
      const now = Date.now();
      const result = await store.appendToStream(
        streamId,
        taken.map((i) => ({ id: i.id, type: 'NewsItemReceived', data: i.data, occurredAt: new Date(i.data.publishedAt ?? now) })),
      );
      return { appended: result.appended, heldBack };
    } catch (error) {
      if (!(error instanceof IdConflict) || attempt === 3) throw error;
    }
  }
}
