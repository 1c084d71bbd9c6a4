import type { Kysely, Transaction } from 'kysely';
import type { DatabaseConnection } from '../database/connection';
import type { Database } from '../database/schema';
import { EVENTS_CHANNEL, type EventStore } from '../event-store/event-store';
import { inSpan } from '../shared/tracing';
import { NotifiedLoop } from '../event-store/notified-loop';
import { lockProjections, readCheckpoint, writeCheckpoint } from './checkpoints';
import { projectOrSkip } from './project-or-skip';
import { passAhead, takeAhead } from './ahead';
import type { StoredEvent } from '../event-store/types';
import type { Projection, SkippedEvent } from './projection';
import type { ProjectedBatch } from './batch-consumer';

export interface ProjectorOptions {
  batchSize?: number;
  /** A wanted stream with more pending events than this is left to the pass in order (default: batchSize). */
  aheadMaxPerStream?: number;
  pollIntervalMs?: number;
  onError?: (error: unknown) => void;
  /** An event the projection cannot process was skipped (and recorded in projection_skipped). */
  onSkipped?: (skipped: SkippedEvent) => void;
  /** After each committed batch, with its events: what was appended, by any writer, anywhere. */
  afterBatch?: (events: StoredEvent[]) => void;
  /** Runs inside each batch's transaction, after the projection: commits with it or not at all. */
  inBatch?: (trx: Transaction<Database>, batch: ProjectedBatch) => Promise<void>;
}

/**
 * Keeps the projections up to date. Each batch is one transaction that takes the
 * projection lock, reads the checkpoint, projects the events after it and moves the
 * checkpoint: a crash between batches loses nothing and applies nothing twice, and two
 * processes running projectors never both apply a batch.
 * An event the fold cannot process is recorded in `projection_skipped` and passed over (see
 * projectOrSkip), so one bad row never stops every read of every negotiation.
 */
export class Projector {
  private readonly caughtUpWaiters = new Set<() => void>();
  private readonly loop: NotifiedLoop;
  private checkpoint = 0;

  constructor(
    private readonly connection: DatabaseConnection,
    private readonly store: EventStore,
    private readonly projections: readonly Projection[],
    private readonly options: ProjectorOptions = {},
  ) {
    this.loop = new NotifiedLoop(connection, EVENTS_CHANNEL, {
      step: async () => {
        const count = await this.runBatch();
        if (count === 0) return false;
        for (const waiter of [...this.caughtUpWaiters]) waiter();
        return true;
      },
      idleMs: () => this.options.pollIntervalMs ?? 1000,
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  start(): Promise<void> {
    return this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /**
   * Projects what waiting reads asked for ahead of the log's order (ahead.ts), then one batch
   * in order; returns how many events it read (0: caught up).
   */
  async runBatch(): Promise<number> {
    // One span per batch that moved anything; the alert evaluation inside it continues each
    // append's own trace (alerting/evaluate-batch.ts).
    return inSpan('parley.projector.batch', {}, async (span) => {
      const count = await this.projectBatch();
      span.setAttributes({ 'parley.events': count, 'parley.checkpoint': this.checkpoint });
      return count;
    });
  }

  private async projectBatch(): Promise<number> {
    const limit = this.options.batchSize ?? 1000;
    const { checkpoint, count, skipped, events } = await this.connection.db.transaction().execute(async (trx) => {
      await lockProjections(trx);
      const store = this.store.over(trx as Kysely<Database>);
      const ahead = await takeAhead(trx, store, this.options.aheadMaxPerStream ?? limit);
      const skippedAhead = ahead.length > 0 ? await projectOrSkip(trx, trx, this.projections, ahead) : [];
      const after = await readCheckpoint(trx);
      const read = await store.readAll({ after, limit });
      if (read.length === 0) {
        await this.options.inBatch?.(trx, { events: [], checkpoint: after });
        return { checkpoint: after, count: ahead.length, skipped: skippedAhead, events: ahead };
      }
      const last = read[read.length - 1]!.globalPosition;
      const done = await passAhead(trx, last);
      const inOrder = done.size === 0 ? read : read.filter((event) => !done.has(event.globalPosition));
      const skipped = inOrder.length > 0 ? await projectOrSkip(trx, trx, this.projections, inOrder) : [];
      await writeCheckpoint(trx, last);
      await this.options.inBatch?.(trx, { events: read, checkpoint: last });
      return { checkpoint: last, count: read.length + ahead.length, skipped: [...skippedAhead, ...skipped], events: [...ahead, ...inOrder] };
    });
    // Only once committed: a reader trusting this number must find the rows.
    this.checkpoint = checkpoint;
    for (const event of skipped) this.options.onSkipped?.(event);
    if (events.length > 0) this.options.afterBatch?.(events);
    return count;
  }

  /**
   * Resolves once the projection has applied every event up to `position`, or once `ready`
   * says the checkpoint reached is enough; false after the timeout.
   */
  async waitFor(position: number, timeoutMs: number, ready: (checkpoint: number) => Promise<boolean> = async (c) => c >= position): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.checkpoint >= position) return true;
      // Another process may be the one projecting: the table is the truth.
      if (await ready(Math.max(this.checkpoint, await readCheckpoint(this.connection.db)))) return true;
      this.loop.wake();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 25);
        const self = this;
        function done() {
          clearTimeout(timer);
          self.caughtUpWaiters.delete(done);
          resolve();
        }
        this.caughtUpWaiters.add(done);
      });
    }
    return false;
  }
}
