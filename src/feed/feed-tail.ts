import type { EventStore } from '../event-store/event-store';
import type { StoredEvent } from '../event-store/types';
import { toCloudEvent } from './cloud-event';

/** An event with its SSE frame, built once however many clients it goes to. */
export interface FeedItem {
  event: StoredEvent;
  frame: string;
  /** The frame as bytes, made on first use (frameBytes) and written to every client pushed to. */
  bytes?: Buffer;
}

/** The item's frame as UTF-8 bytes, encoded once however many sockets it is written to. */
export function frameBytes(item: FeedItem): Buffer {
  item.bytes ??= Buffer.from(item.frame);
  return item.bytes;
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

  /** Starts the tail at the log's head, holding only the head's event (so the next read can check it). */
  async start(): Promise<void> {
    const head = await this.store.headPosition();
    const last = head > 0 ? await this.store.readAll({ after: head - 1, limit: 1 }) : [];
    this.items = last.map((event) => feedItem(event, this.onUnreadable));
    this.before = head - this.items.length;
  }

  /**
   * Reads what the log has beyond the tail: how many events it added, or, when the log no longer
   * holds the tail's last event, the position it was rewound to. Each read starts one event back,
   * at the last one held, and checks it is still there with the same id: after a failover to a
   * standby that had not received the last commits, the new primary gives those positions to
   * other events, and a feed that only asked "what is after my position" would skip them.
   */
  async catchUp(limit = 500): Promise<{ added: number; rewoundTo?: number }> {
    const held = this.items[this.items.length - 1];
    const page = await this.store.readAll({ after: held ? this.last - 1 : this.last, limit: held ? limit + 1 : limit });
    if (held && page.shift()?.id !== held.event.id) return { added: 0, rewoundTo: await this.rewind() };
    for (const event of page) this.items.push(feedItem(event, this.onUnreadable));
    const excess = this.items.length - this.capacity;
    if (excess > 0) {
      this.items.splice(0, excess);
      this.before += excess;
    }
    return { added: page.length };
  }

  /** Keeps the run of held events the log still has, and returns the position it ends at. */
  private async rewind(): Promise<number> {
    const log = await this.store.readAll({ after: this.before, limit: this.items.length });
    let kept = 0;
    while (kept < log.length && log[kept]!.id === this.items[kept]!.event.id) kept++;
    this.items.length = kept;
    // Not even the first held event is left: the log ends before it, at its head.
    if (kept === 0) this.before = Math.min(this.before, await this.store.headPosition());
    return this.last;
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
