import type { DatabaseConnection } from '../database/connection';
import { EVENTS_CHANNEL, type EventStore } from './event-store';
import type { StoredEvent } from './types';
import { Waker } from './waker';

export interface SubscribeOptions {
  /** Exclusive: the first event delivered is the one after this global position. */
  after: number;
  handle: (events: StoredEvent[]) => Promise<void>;
  batchSize?: number;
  /**
   * A safety net under LISTEN/NOTIFY: a notification lost with a dropped connection only
   * delays delivery by this much.
   */
  pollIntervalMs?: number;
  /** A failing handler or read is retried after a back-off; this hears about each failure. */
  onError?: (error: unknown) => void;
  retryDelayMs?: number;
}

/**
 * Catch-up, then live. One loop reads `readAll({after: position})` and hands each page to the
 * handler; notifications only wake the loop. Because catch-up and live delivery are the same
 * read from the same cursor, the switch-over can neither skip nor repeat an event, and the
 * log's prefix guarantee (see EventStore) means the cursor never jumps over a late commit.
 */
export class Subscription {
  private position: number;
  private stopped = false;
  private readonly waker = new Waker();
  private loop: Promise<void> | undefined;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly connection: Pick<DatabaseConnection, 'listen'>,
    private readonly options: SubscribeOptions,
  ) {
    this.position = options.after;
  }

  /** The global position of the last event handed to the handler. */
  get lastPosition(): number {
    return this.position;
  }

  async start(): Promise<this> {
    // Listen before the first read, so a commit between the two still wakes us.
    this.unlisten = await this.connection.listen(EVENTS_CHANNEL, () => this.notify());
    this.loop = this.run();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.notify();
    await this.loop;
    await this.unlisten?.();
  }

  private notify(): void {
    this.waker.wake();
  }

  private async run(): Promise<void> {
    const { batchSize = 500, pollIntervalMs = 1000, retryDelayMs = 500 } = this.options;
    let failures = 0;
    while (!this.stopped) {
      try {
        const events = await this.store.readAll({ after: this.position, limit: batchSize });
        if (events.length > 0) {
          await this.options.handle(events);
          this.position = events[events.length - 1]!.globalPosition;
          failures = 0;
          continue;
        }
        failures = 0;
        await this.waker.sleep(pollIntervalMs);
      } catch (error) {
        this.options.onError?.(error);
        failures += 1;
        await this.waker.sleep(Math.min(retryDelayMs * 2 ** (failures - 1), 30_000));
      }
    }
  }
}

export function subscribe(
  store: EventStore,
  connection: Pick<DatabaseConnection, 'listen'>,
  options: SubscribeOptions,
): Promise<Subscription> {
  return new Subscription(store, connection, options).start();
}
