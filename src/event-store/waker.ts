/**
 * Sleeps until woken or timed out. A wake that arrives while nobody sleeps is kept, so the
 * next sleep returns at once: a notification between "found nothing" and "sleep" is not lost.
 */
export class Waker {
  private pending = false;
  private resolve: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  wake(): void {
    this.pending = true;
    this.resolve?.();
  }

  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.resolve = () => {
        clearTimeout(this.timer);
        this.resolve = undefined;
        this.pending = false;
        resolve();
      };
      this.timer = setTimeout(this.resolve, ms);
    });
  }
}
