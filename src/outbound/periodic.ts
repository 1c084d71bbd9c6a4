/**
 * Runs an outbound job every `everyMs`, one run at a time (a slow run is not overlapped by the
 * next), and only while `when()` holds. The timer never keeps the process alive; stop() waits
 * for the run in progress. Failures are the job's to report: a rejected run is dropped.
 */
export class Periodic {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly everyMs: number,
    private readonly job: () => Promise<unknown>,
    private readonly when: () => boolean = () => true,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running || !this.when()) return;
      this.running = this.job()
        .catch(() => undefined)
        .finally(() => (this.running = undefined));
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
