import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import { EVENTS_CHANNEL, EventStore } from '../event-store/event-store';
import { NotifiedLoop } from '../event-store/notified-loop';
import type { StoredEvent } from '../event-store/types';
import { FairQueue } from './fair-queue';
import type { FeedConnection, FeedSource } from './feed-connection';
import { FeedTail, feedItem, type FeedItem } from './feed-tail';

/**
 * The feed of one process: one tail reader follows the log (woken by NOTIFY, polling as a
 * safety net) and fans out to every live client from memory; clients behind the tail replay
 * from the log a page at a time, a few at once, in turn. Writers keep the rest of the pool.
 */
@Injectable()
export class FeedHub implements FeedSource, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Feed');
  private readonly connections = new Set<FeedConnection>();
  private readonly perCaller = new Map<string, number>();
  private readonly replays: FairQueue;
  private readonly tail: FeedTail;
  private readonly loop: NotifiedLoop;
  private running = false;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    @Inject(DATABASE) database: DatabaseConnection,
    @Inject(CONFIG) private readonly config: Config,
    private readonly store: EventStore,
  ) {
    this.replays = new FairQueue(config.PARLEY_FEED_REPLAY_READERS);
    this.tail = new FeedTail(store, config.PARLEY_FEED_TAIL_EVENTS, (event, error) => this.unreadable(event, error));
    this.loop = new NotifiedLoop(database, EVENTS_CHANNEL, {
      step: async () => {
        const before = this.tail.last;
        const { added, rewoundTo } = await this.tail.catchUp();
        if (rewoundTo !== undefined) this.rewound(rewoundTo);
        if (added > 0) this.fanOut(before);
        return added > 0 || rewoundTo !== undefined;
      },
      idleMs: () => 1000,
      onError: (error) => this.logger.warn({ err: error }, 'feed tail read failed; retrying'),
    });
  }

  get size(): number {
    return this.connections.size;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.tail.start();
    await this.loop.start();
    this.running = true;
    // One ticker for every client's idle heartbeat (a client sends one after heartbeatMs without
    // writing), checked four times per period: none is late by more than a quarter of it.
    const period = this.config.PARLEY_FEED_HEARTBEAT_MS;
    this.ticker = setInterval(() => {
      const now = Date.now();
      for (const connection of this.connections) connection.heartbeat(now);
    }, Math.max(25, Math.floor(period / 4)));
    this.ticker.unref();
  }

  /** Shutdown: every client is told to come back (it resumes from its Last-Event-ID). */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.ticker);
    for (const connection of this.connections) connection.close('server shutting down: reconnect to resume');
    if (this.running) await this.loop.stop();
  }

  /** Whether `caller` may open one more connection (PARLEY_FEED_MAX_PER_CLIENT). */
  admits(caller: string): boolean {
    return (this.perCaller.get(caller) ?? 0) < this.config.PARLEY_FEED_MAX_PER_CLIENT;
  }

  async serve(connection: FeedConnection, caller: string): Promise<void> {
    this.connections.add(connection);
    this.perCaller.set(caller, (this.perCaller.get(caller) ?? 0) + 1);
    try {
      await connection.run();
    } finally {
      this.connections.delete(connection);
      const left = (this.perCaller.get(caller) ?? 1) - 1;
      if (left === 0) this.perCaller.delete(caller);
      else this.perCaller.set(caller, left);
    }
  }

  recent(after: number, limit: number): FeedItem[] | undefined {
    // Beyond what the tail has read (a write this process has not been woken for yet): ask the log.
    if (!this.running || after > this.tail.last) return undefined;
    return this.tail.after(after, limit);
  }

  fromLog(after: number, limit: number): Promise<FeedItem[]> {
    return this.replays.run(async () =>
      (await this.store.readAll({ after, limit })).map((event) => feedItem(event, (e, error) => this.unreadable(e, error))),
    );
  }

  /**
   * Where a client's cursor lies beyond the log's head, the head; undefined when the log holds
   * it. A client resuming after a position no log has was fed by a log since rewound.
   */
  async beyondLog(after: number): Promise<number | undefined> {
    if (this.running && after <= this.tail.last) return undefined;
    const head = await this.store.headPosition();
    return after > head ? head : undefined;
  }

  /**
   * New events in the tail (after `before`): clients asleep at the head get them written at once
   * (FeedConnection.push, one shared chunk per filter); every other client is woken to page.
   */
  private fanOut(before: number): void {
    const items = this.tail.after(before, Number.MAX_SAFE_INTEGER) ?? [];
    const chunks = new Map<string, Buffer>();
    for (const connection of this.connections) {
      if (!connection.push(before, items, chunks)) connection.waker.wake();
    }
  }

  /** The log lost its last events (a failover): every client that saw them is told, and resumes there. */
  private rewound(to: number): void {
    this.logger.error({ position: to }, 'the log was rewound: the database no longer holds events the feed sent; clients past it are told');
    for (const connection of this.connections) connection.rewind(to);
  }

  private unreadable(event: StoredEvent, error: unknown): void {
    this.logger.error({ err: error, globalPosition: event.globalPosition, eventId: event.id }, 'feed passed over an event it could not send');
  }
}
