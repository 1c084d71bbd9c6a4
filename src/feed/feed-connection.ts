import type { ServerResponse } from 'node:http';
import type { StoredEvent } from '../event-store/types';
import { Waker } from '../event-store/waker';
import { belongsTo, isReviewStream, isScenarioStream, scenarioStream } from '../negotiation/domain/streams';
import { frameBytes, type FeedItem } from './feed-tail';

export interface FeedFilter {
  /** Streams of one negotiation: `nid`, `nid.rules`, `nid.alerts`. */
  negotiation?: string;
  types?: string[];
  /** Whether this client may receive `<nid>.review` events (a reviewer), when `types` names them. */
  review?: boolean;
  /** A scenario branch of `negotiation` whose events the client asked for besides the record's. */
  scenario?: string;
}

export interface FeedOptions {
  after: number;
  filter: FeedFilter;
  heartbeatMs: number;
  /** A client whose unsent output passes this is dropped rather than buffered without bound. */
  maxBufferedBytes: number;
  onDropped?: () => void;
  retryMs: number;
}

/** Where a connection gets its events: the shared tail in memory, or the log for a replay. */
export interface FeedSource {
  recent(after: number, limit: number): FeedItem[] | undefined;
  fromLog(after: number, limit: number): Promise<FeedItem[]>;
  /** The log's head when `after` lies beyond it (a rewound log), else undefined. */
  beyondLog(after: number): Promise<number | undefined>;
}

const PAGE = 200;

/**
 * One SSE client with its own cursor, so resuming with Last-Event-ID misses nothing and
 * repeats nothing, and a slow client only slows itself. At the head it is served from the
 * process's shared tail; behind it, it pages through the log (taking turns with other
 * replays) until it reaches the tail and rejoins. Sends a heartbeat comment when idle so
 * proxies keep the connection open.
 */
export class FeedConnection {
  readonly waker = new Waker();
  private cursor: number;
  private closed = false;
  /** A rewind the log went through, applied by the loop between pages. */
  private rewoundTo: number | undefined;
  private lastWrite = Date.now();
  /** True while the loop sleeps at the tail's end: the hub may then write new frames itself (push). */
  private atHead = false;
  /** Connections with the same filter share one chunk per push (the hub's map is keyed by this). */
  private readonly filterKey: string;

  constructor(
    private readonly source: FeedSource,
    private readonly response: ServerResponse,
    private readonly options: FeedOptions,
    private readonly onDelivered: (count: number) => void = () => undefined,
  ) {
    this.cursor = options.after;
    const { negotiation, types, review, scenario } = options.filter;
    this.filterKey = JSON.stringify([negotiation ?? null, types ?? null, review ?? null, scenario ?? null]);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async run(): Promise<void> {
    this.response.on('close', () => this.close());
    this.write(`retry: ${this.options.retryMs}\n: parley feed from position ${this.cursor}\n\n`);
    await this.source.beyondLog(this.cursor).then(
      (head) => head !== undefined && this.rewind(head),
      () => undefined,
    );
    while (!this.closed) {
      if (this.rewoundTo !== undefined && !this.applyRewind()) return;
      let page: FeedItem[];
      try {
        page = this.source.recent(this.cursor, PAGE) ?? (await this.source.fromLog(this.cursor, PAGE));
        // A page read before a rewind may hold the positions it took back.
        if (this.rewoundTo !== undefined) continue;
      } catch {
        // The database is away: keep the client, try again shortly (heartbeats keep proxies open).
        await this.waker.sleep(1000);
        if (!this.closed && !this.write(': waiting for the database\n\n')) return;
        continue;
      }
      if (page.length > 0) {
        const chunk = this.chunkOf(page);
        this.cursor = page[page.length - 1]!.event.globalPosition;
        if (chunk.length > 0 && !this.write(chunk)) return;
        this.onDelivered(page.length);
        continue;
      }
      // Idle: wait for the tail to move (or a rewind, or close). Heartbeats while idle come from
      // the hub's one ticker (heartbeat()), not from a timer per client.
      this.atHead = true;
      await this.waker.sleepUntilWoken();
      this.atHead = false;
    }
  }

  /**
   * The tail's new items (every event after `before`), written by the hub itself when this client
   * sleeps at the head with its cursor at `before`: no wake, no page, no encoding per client, one
   * socket write of a chunk shared by every client with the same filter. False when the client
   * is elsewhere (replaying, rewinding, closed): the hub wakes it, and its loop pages as before.
   * Both this and the loop move the cursor in the same synchronous step as they write, so nothing
   * is sent twice or skipped.
   */
  push(before: number, items: readonly FeedItem[], chunks: Map<string, Buffer>): boolean {
    if (!this.atHead || this.closed || this.cursor !== before || this.rewoundTo !== undefined || items.length === 0) return false;
    let chunk = chunks.get(this.filterKey);
    if (chunk === undefined) {
      chunk = this.chunkOf(items);
      chunks.set(this.filterKey, chunk);
    }
    this.cursor = items[items.length - 1]!.event.globalPosition;
    if (chunk.length > 0 && !this.write(chunk)) return true;
    this.onDelivered(items.length);
    return true;
  }

  /** A heartbeat comment if nothing was written for heartbeatMs, so proxies keep the connection. */
  heartbeat(now: number): void {
    if (!this.closed && now - this.lastWrite >= this.options.heartbeatMs) this.write(': heartbeat\n\n');
  }

  /**
   * The log was rewound to `to` (a failover lost what came after): if this client was sent
   * anything past it, it gets a `parley.rewound` frame (its id is `to`, so a reconnect resumes
   * there) and then the events the log now holds after `to`, instead of skipping them.
   */
  rewind(to: number): void {
    this.rewoundTo = Math.min(this.rewoundTo ?? to, to);
    this.waker.wake();
  }

  private applyRewind(): boolean {
    const to = this.rewoundTo!;
    this.rewoundTo = undefined;
    if (this.cursor <= to) return true;
    const data = {
      position: to,
      lastSent: this.cursor,
      message: `The log was rewound to position ${to} (a database failover lost later events). Events after ${to} follow; drop what you kept from positions ${to + 1}–${this.cursor}.`,
    };
    this.cursor = to;
    return this.write(`id: ${to}\nevent: parley.rewound\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Ends the stream; `reason` goes out as a last `event: close` first. */
  close(reason?: string): void {
    if (this.closed) return;
    if (reason && !this.response.writableEnded) {
      this.response.write(`event: close\ndata: ${JSON.stringify({ reason })}\n\n`);
    }
    this.closed = true;
    this.waker.wake();
    this.response.end();
  }

  /** The frames of `items` this client's filter lets through, as one chunk of bytes (the loop's and the push's). */
  private chunkOf(items: readonly FeedItem[]): Buffer {
    const matching = items.filter((item) => this.matches(item.event)).map(frameBytes);
    return matching.length === 1 ? matching[0]! : Buffer.concat(matching);
  }

  private write(text: string | Buffer): boolean {
    if (this.closed) return false;
    this.lastWrite = Date.now();
    this.response.write(text);
    if (this.response.writableLength > this.options.maxBufferedBytes) {
      this.close('slow consumer: reconnect with Last-Event-ID to resume');
      this.response.destroy();
      this.options.onDropped?.();
      return false;
    }
    return true;
  }

  private matches(event: StoredEvent): boolean {
    const { negotiation, types } = this.options.filter;
    if (negotiation && !belongsTo(event.streamId, negotiation)) return false;
    // Proposals and their review are not the record: only a client that names their types gets them.
    if (isReviewStream(event.streamId)) return this.options.filter.review === true && (types?.includes(event.type) ?? false);
    // A branch is not the record: only a client that names it gets its events.
    if (isScenarioStream(event.streamId)) {
      const { scenario } = this.options.filter;
      if (scenario === undefined || !negotiation || event.streamId !== scenarioStream(negotiation, scenario)) return false;
    }
    return !types || types.includes(event.type);
  }
}
