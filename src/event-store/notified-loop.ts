import type { DatabaseConnection } from '../database/connection';
import { Waker } from './waker';

export interface NotifiedLoopOptions {
  /** One unit of work; true when there may be more right away. */
  step: () => Promise<boolean>;
  /** How long to sleep when idle (a notification wakes it earlier). */
  idleMs: () => number | Promise<number>;
  onError?: (error: unknown) => void;
  /** First retry delay after a failed step; doubles up to 5 s (a database back up is found soon). */
  retryMs?: number;
}

/**
 * A background loop woken by NOTIFY on a channel: it runs `step` while there is work, sleeps
 * when there is none, and retries failed steps with back-off. The projector, the webhook
 * deliverer and subscriptions all run on it. A notification that arrives mid-step is kept,
 * so the next sleep returns at once and no wake-up is lost.
 */
export class NotifiedLoop {
  private readonly waker = new Waker();
  private stopped = false;
  private loop: Promise<void> | undefined;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly connection: Pick<DatabaseConnection, 'listen'>,
    private readonly channel: string,
    private readonly options: NotifiedLoopOptions,
  ) {}

  /**
   * Runs, listening before its first step (a commit between the two is still read by that
   * step). A listen that fails (the database failing over) is retried before each step with
   * the steps' back-off, never given up: a loop that started without its LISTEN would poll only.
   */
  async start(): Promise<void> {
    this.stopped = false; // a loop may be started again after a stop (a leader again)
    this.loop = this.run();
  }

  /** Lets the current step finish, then stops listening. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.waker.wake();
    await this.loop;
    await this.unlisten?.();
    this.unlisten = undefined;
  }

  wake(): void {
    this.waker.wake();
  }

  private async run(): Promise<void> {
    const { retryMs = 250 } = this.options;
    let failures = 0;
    while (!this.stopped) {
      try {
        this.unlisten ??= await this.connection.listen(this.channel, () => this.waker.wake());
        const more = await this.options.step();
        failures = 0;
        if (!more) await this.waker.sleep(await this.options.idleMs());
      } catch (error) {
        this.options.onError?.(error);
        failures += 1;
        await this.waker.sleep(Math.min(retryMs * 2 ** (failures - 1), 5_000));
      }
    }
  }
}
