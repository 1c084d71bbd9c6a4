/**
 * Sleeps until woken or timed out. A wake that arrives while nobody sleeps is kept, so the
 * next sleep returns at once: a notification between "found nothing" and "sleep" is not lost.
 */
export class Waker {
  private pending = false;
  /** Whether the last sleep ended by a wake rather than its timeout. */
  woke = false;
  private resolve: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  wake(): void {
    this.pending = true;
    this.resolve?.();
  }

  /**
   * Sleeps until woken, with no timer: for thousands of sleepers (feed clients) woken on every
   * event, a timer armed and cleared per sleep is most of the cost; their idle heartbeats come
   * from one shared ticker instead (feed.hub.ts).
   */
  sleepUntilWoken(): Promise<void> {
    if (this.pending) {
      this.pending = false;
      this.woke = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.resolve = () => {
        this.resolve = undefined;
        this.pending = false;
        this.woke = true;
        resolve();
      };
    });
  }

  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      this.woke = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = (woke: boolean) => {
        clearTimeout(this.timer);
        this.resolve = undefined;
        this.pending = false;
        this.woke = woke;
        resolve();
      };
      this.resolve = () => finish(true);
      this.timer = setTimeout(() => finish(false), ms);
    });
  }
}
