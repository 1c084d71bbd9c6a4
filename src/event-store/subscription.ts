import type { DatabaseConnection } from '../database/connection';
import { EVENTS_CHANNEL, type EventStore } from './event-store';
import type { StoredEvent } from './types';
import { NotifiedLoop } from './notified-loop';

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
  private readonly loop: NotifiedLoop;

  constructor(
    private readonly store: EventStore,
    connection: Pick<DatabaseConnection, 'listen'>,
    private readonly options: SubscribeOptions,
  ) {
    this.position = options.after;
    this.loop = new NotifiedLoop(connection, EVENTS_CHANNEL, {
      step: () => this.deliverPage(),
      idleMs: () => options.pollIntervalMs ?? 1000,
      ...(options.onError ? { onError: options.onError } : {}),
      retryMs: options.retryDelayMs ?? 500,
    });
  }

  /** The global position of the last event handed to the handler. */
  get lastPosition(): number {
    return this.position;
  }

  async start(): Promise<this> {
    await this.loop.start();
    return this;
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async deliverPage(): Promise<boolean> {
    const events = await this.store.readAll({ after: this.position, limit: this.options.batchSize ?? 500 });
    if (events.length === 0) return false;
    await this.options.handle(events);
    this.position = events[events.length - 1]!.globalPosition;
    return true;
  }
}

export function subscribe(
  store: EventStore,
  connection: Pick<DatabaseConnection, 'listen'>,
  options: SubscribeOptions,
): Promise<Subscription> {
  return new Subscription(store, connection, options).start();
}
