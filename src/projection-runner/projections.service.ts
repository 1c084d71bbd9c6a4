import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import { EventStore } from '../event-store/event-store';
import { ProjectionLagging } from './errors';
import { BATCH_CONSUMERS, type BatchConsumer } from './batch-consumer';
import { pendingFor, wantStreams } from './ahead';
import type { Projection } from './projection';
import { Leadership } from './leadership';
import { Projector } from './projector';
import { rebuildProjections, type RebuildOptions, type RebuildProgress } from './rebuild';

/** The projections the runner keeps, given by the app's wiring (the runner knows no context). */
export const PROJECTIONS = Symbol('PROJECTIONS');

const READ_YOUR_WRITES_TIMEOUT_MS = 10_000;
/** How often one process asks for the same streams ahead while reads wait on them. */
const WANT_EVERY_MS = 200;

/**
 * Runs the projector in this process and gives reads their consistency: before answering,
 * a read waits until the projection has applied every event committed before it was sent.
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Projector');
  readonly projector: Projector;
  private readonly leadership: Leadership;
  private readonly batchSize: number;
  /** When this process last asked for each set of streams ahead. */
  private readonly wanted = new Map<string, number>();

  constructor(
    @Inject(DATABASE) private readonly connection: DatabaseConnection,
    @Inject(CONFIG) config: Config,
    @Inject(PROJECTIONS) private readonly projections: readonly Projection[],
    @Inject(BATCH_CONSUMERS) consumers: readonly BatchConsumer[],
    private readonly store: EventStore,
  ) {
    this.leadership = new Leadership(connection, {
      retryMs: config.PARLEY_LEADER_RETRY_MS,
      heartbeatMs: config.PARLEY_LEADER_HEARTBEAT_MS,
      onChange: async (leading) => {
        this.logger.log({ leading }, leading ? 'this instance leads: projecting' : 'this instance follows');
        if (leading) await this.projector.start();
        else await this.projector.stop();
      },
      onError: (error) => this.logger.warn({ err: error }, 'leadership check failed; retrying'),
    });
    this.batchSize = config.PARLEY_PROJECTOR_BATCH;
    this.projector = new Projector(connection, store, projections, {
      batchSize: this.batchSize,
      inBatch: async (trx, batch) => {
        for (const consumer of consumers) await consumer.inBatch?.(trx, batch);
      },
      onError: (error) => this.logger.error({ err: error }, 'projector batch failed; retrying'),
      onSkipped: (skipped) => this.logger.error(skipped, 'projector passed over an event it could not process (see projection_skipped)'),
      afterBatch: (events) => {
        for (const consumer of consumers) consumer.projected?.(events);
      },
    });
  }

  /** Rebuilds every projection from the log while reads keep answering from the old tables. */
  rebuild(options: RebuildOptions = {}): Promise<RebuildProgress> {
    return rebuildProjections(this.connection, this.store, this.projections, options);
  }

  /**
   * Asks for `streams` ahead, at most once per WANT_EVERY_MS from this process: fifty readers
   * waiting on one negotiation are one request, not fifty upserts of one row.
   */
  private async want(streams: string[]): Promise<void> {
    const key = streams.join('\u0000');
    const now = Date.now();
    if ((this.wanted.get(key) ?? 0) > now - WANT_EVERY_MS) return;
    this.wanted.set(key, now);
    if (this.wanted.size > 1000) this.wanted.clear();
    await wantStreams(this.connection.db, streams);
  }

  /** Whether this process leads: runs the projector and, inside its batches, alert evaluation. */
  get leading(): boolean {
    return this.leadership.leading;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.leadership.start();
  }

  // Before the database closes (onApplicationShutdown): the loop must not outlive it.
  async onModuleDestroy(): Promise<void> {
    await this.leadership.stop();
  }

  /**
   * Read your writes: resolves once every event of `streams` up to `position` is projected
   * (`checkpoint` is the table's, read by the caller with the head). Only those streams' events
   * are waited for, so a read of one negotiation never waits for a large import into another.
   */
  async caughtUp(streams: string[] | 'all', position: number, checkpoint: number): Promise<void> {
    if (checkpoint >= position) return;
    let checks = 0;
    const ready = async (checkpoint: number) => {
      if (checkpoint >= position) return true;
      if (streams === 'all') return false;
      if (!(await pendingFor(this.connection.db, checkpoint, position, streams))) return true;
      // Behind a large backlog of other streams (an import): ask the leader to project these
      // ahead (ahead.ts), again now and then, since a want is consumed once taken.
      if (position - checkpoint > this.batchSize && checks++ % 8 === 0) await this.want(streams);
      return false;
    };
    if (!(await this.projector.waitFor(position, READ_YOUR_WRITES_TIMEOUT_MS, ready))) {
      throw new ProjectionLagging(position, READ_YOUR_WRITES_TIMEOUT_MS);
    }
  }
}
