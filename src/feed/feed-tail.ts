import type { EventStore } from '../event-store/event-store';
import type { StoredEvent } from '../event-store/types';
import { toCloudEvent } from './cloud-event';

/** An event with its SSE frame, built once however many clients it goes to. */
export interface FeedItem {
  event: StoredEvent;
  frame: string;
}

/**
 * One event as an SSE frame. An event that cannot be enveloped is not allowed to stop the
 * feed: the client gets a `parley.unreadable` frame at its position (so its cursor moves on and
 * it knows something was passed over) and the error is reported.
 */
export function feedItem(event: StoredEvent, onUnreadable: (event: StoredEvent, error: unknown) => void): FeedItem {
  try {
    return { event, frame: `id: ${event.globalPosition}\nevent: ${event.type}\ndata: ${JSON.stringify(toCloudEvent(event))}\n\n` };
  } catch (error) {
    onUnreadable(event, error);
    const data = JSON.stringify({ globalPosition: event.globalPosition, id: event.id, message: 'This event could not be sent; read it at /events' });
    return { event, frame: `id: ${event.globalPosition}\nevent: parley.unreadable\ndata: ${data}\n\n` };
  }
}

/**
 * The log's tail, read once per process and kept in memory: every live client is served from
 * here, so N clients at the head cost one read per NOTIFY, not N. Positions are gap-free, so the
 * tail is a contiguous run `first … last` and "am I in it" is a comparison.
 */
export class FeedTail {
  private items: FeedItem[] = [];
  /** Position just before the first item held (the tail is empty when it equals `last`). */
  private before = 0;

  constructor(
    private readonly store: EventStore,
    private readonly capacity: number,
    private readonly onUnreadable: (event: StoredEvent, error: unknown) => void,
  ) {}

  get last(): number {
    return this.before + this.items.length;
  }

  /** Starts the tail at the log's head: nothing older is held. */
  async start(): Promise<void> {
    this.before = await this.store.headPosition();
    this.items = [];
  }

  /** Reads what the log has beyond the tail; returns how many events it added. */
  async catchUp(limit = 500): Promise<number> {
    const page = await this.store.readAll({ after: this.last, limit });
    for (const event of page) this.items.push(feedItem(event, this.onUnreadable));
    const excess = this.items.length - this.capacity;
    if (excess > 0) {
      this.items.splice(0, excess);
      this.before += excess;
    }
    return page.length;
  }

  /**
   * Items after `cursor`, up to `limit`, from memory; undefined when `cursor` lies before what
   * the tail holds (that client catches up from the log first).
   */
  after(cursor: number, limit: number): FeedItem[] | undefined {
    if (cursor < this.before) return undefined;
    const from = cursor - this.before;
    return this.items.slice(from, from + limit);
  }
}
