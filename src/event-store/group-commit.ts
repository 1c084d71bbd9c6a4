/**
 * Group commit: one appender per store. Whatever callers queue while a write is in flight
 * goes out together in the next one, one call and one commit for all of them (no timer: an
 * idle appender writes a lone call at once). Each caller gets its own result; if the call
 * itself fails, every caller in it gets that error, and none of its writes happened.
 */
export class GroupCommit<Call, Result> {
  private queue: { call: Call; size: number; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly write: (calls: Call[]) => Promise<Result[]>,
    /** Events in one group at most: a group of many small calls stays a bounded document. */
    private readonly maxSize = 5000,
  ) {}

  submit(call: Call, size: number): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ call, size, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      let size = 0;
      let count = 0;
      while (count < this.queue.length && (count === 0 || size + this.queue[count]!.size <= this.maxSize)) size += this.queue[count++]!.size;
      const group = this.queue.splice(0, count);
      try {
        const results = await this.write(group.map((g) => g.call));
        group.forEach((g, i) => g.resolve(results[i]!));
      } catch (error) {
        for (const g of group) g.reject(error);
      }
    }
    this.running = false;
  }
}
