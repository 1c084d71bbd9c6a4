/**
 * At most `slots` tasks at once, the rest waiting in arrival order: feed clients catching up
 * from the log take turns on a few database connections, so 200 replays cannot take every
 * connection of the pool from the writers.
 */
export class FairQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly slots: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
