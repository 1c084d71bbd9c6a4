import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import { EVENTS_CHANNEL } from '../event-store/event-store';
import type { FeedConnection } from './feed-connection';

/** One LISTEN for the whole process; each notification wakes every feed connection. */
@Injectable()
export class FeedHub implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly connections = new Set<FeedConnection>();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    @Inject(DATABASE) private readonly database: DatabaseConnection,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  get size(): number {
    return this.connections.size;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.processKind !== 'server') return; // a CLI command serves no feed
    this.unlisten = await this.database.listen(EVENTS_CHANNEL, () => {
      for (const connection of this.connections) connection.waker.wake();
    });
  }

  /** Shutdown: every client is told to come back (it resumes from its Last-Event-ID). */
  async onModuleDestroy(): Promise<void> {
    for (const connection of this.connections) connection.close('server shutting down: reconnect to resume');
    await this.unlisten?.();
  }

  async serve(connection: FeedConnection): Promise<void> {
    this.connections.add(connection);
    try {
      await connection.run();
    } finally {
      this.connections.delete(connection);
    }
  }
}
