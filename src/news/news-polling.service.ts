import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import { EventStore } from '../event-store/event-store';
import { FeedPoller } from './feed-poller';

/** Polls registered feeds: servers only (the CLI's composition leaves NewsPollingModule out). */
@Injectable()
export class NewsPolling implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('News');
  readonly poller: FeedPoller;

  constructor(
    @Inject(DATABASE) connection: DatabaseConnection,
    @Inject(CONFIG) private readonly config: Config,
    store: EventStore,
  ) {
    this.poller = new FeedPoller(connection, store, {
      allow: config.PARLEY_FEED_ALLOW,
      timeoutMs: config.PARLEY_NEWS_TIMEOUT_MS,
      maxBytes: config.PARLEY_NEWS_MAX_BYTES,
      tickMs: config.PARLEY_NEWS_TICK_MS,
      maxItemsPerPoll: config.PARLEY_NEWS_MAX_ITEMS_PER_POLL,
      maxItemsPerHour: config.PARLEY_NEWS_MAX_ITEMS_PER_HOUR,
      minIntervalMs: config.PARLEY_NEWS_MIN_INTERVAL_MS,
      onPolled: ({ source, appended, heldBack, error }) => {
        if (error) this.logger.warn({ source, error }, 'feed poll failed; backing off');
        else if (heldBack) this.logger.warn({ source, appended, heldBack }, 'feed polled; items held back over the source bounds');
        else this.logger.log({ source, appended }, 'feed polled');
      },
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.PARLEY_FEED_ALLOW.length === 0) this.logger.log('PARLEY_FEED_ALLOW is empty: no feed can be registered');
    else this.logger.log({ allow: this.config.PARLEY_FEED_ALLOW }, 'polling registered feeds');
    this.poller.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.poller.stop();
  }
}
