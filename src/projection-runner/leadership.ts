import type { DatabaseConnection, HeldLock } from '../database/connection';
import { LOCKS } from '../database/session-lock';

export interface LeadershipOptions {
  /** How often a follower tries to take the lead (with up to half of it again as jitter). */
  retryMs: number;
  /** How often the leader checks that its lock's session is still alive. */
  heartbeatMs: number;
  /** Called on every change: start background work on true, stop it on false. */
  onChange: (leading: boolean) => Promise<void>;
  onError?: (error: unknown) => void;
}

const LEADER_LOCK = LOCKS.leader;

/**
 * One leader among the processes on a database, for the work only one of them should do (the
 * projector and the alert evaluation inside its batches). The lead is a session-level
 * advisory lock held on a connection of its own; PostgreSQL frees it the moment that session
 * ends, so a killed leader is replaced as soon as a follower next tries. The leader checks its
 * session on a heartbeat and steps down the moment it fails. Batches still fence themselves
 * with a transaction lock, so a leader that has not yet noticed its loss cannot apply a batch
 * twice.
 */
export class Leadership {
  private lock: HeldLock | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly connection: Pick<DatabaseConnection, 'tryLock'>,
    private readonly options: LeadershipOptions,
  ) {}

  get leading(): boolean {
    return this.lock !== undefined;
  }

  /** Tries at once, then keeps trying (or keeps checking) in the background. */
  async start(): Promise<void> {
    await this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    // A step may be waiting on a database that is away: shutting down does not wait for it.
    await Promise.race([this.running, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    if (this.lock) {
      const lock = this.lock;
      this.lock = undefined;
      await this.options.onChange(false);
      await lock.release();
    }
  }

  private tick(): Promise<void> {
    this.running = this.step()
      .catch((error) => this.options.onError?.(error))
      .finally(() => this.schedule());
    return this.running;
  }

  private async step(): Promise<void> {
    if (this.stopped) return;
    if (this.lock) {
      if (await this.lock.alive()) return;
      this.lock = undefined;
      await this.options.onChange(false);
      return;
    }
    const lock = await this.connection.tryLock(LEADER_LOCK);
    if (!lock) return;
    this.lock = lock;
    try {
      await this.options.onChange(true);
    } catch (error) {
      // Leading without the work started (the database went away mid-start, a failover) would
      // keep every follower out while nothing projects: step down, and try again next time.
      this.lock = undefined;
      await this.options.onChange(false).catch(() => undefined);
      await lock.release();
      throw error;
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    const { retryMs, heartbeatMs } = this.options;
    const wait = this.lock ? heartbeatMs : retryMs + Math.random() * retryMs * 0.5;
    this.timer = setTimeout(() => void this.tick(), wait);
    this.timer.unref();
  }
}
