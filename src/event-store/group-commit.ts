/**
 * Group commit: one appender per store. Whatever callers queue while a write is in flight
 * goes out together in the next one, one call and one commit for all of them (no timer: an
 * idle appender writes a lone call at once). Each caller gets its own result; if the call
 * itself fails, every caller in it gets that error, and none of its writes happened. Two calls
 * that share a key (an event id) never go in one group: the later one waits for the next, so
 * it finds the earlier one's events stored, as it would have alone.
 */
export class GroupCommit<Call, Result> {
  private queue: { call: Call; size: number; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly write: (calls: Call[]) => Promise<Result[]>,
    private readonly keys: (call: Call) => Iterable<string> = () => [],
    /** Events in one group at most: a group of many small calls stays a bounded document. */
    private readonly maxSize = 5000,
  ) {}

  submit(call: Call, size: number): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ call, size, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.takeGroup();
      try {
        const results = await this.write(group.map((g) => g.call));
        group.forEach((g, i) => g.resolve(results[i]!));
      } catch (error) {
        for (const g of group) g.reject(error);
      }
      await nextTurn();
    }
    this.running = false;
  }

  /** The queue's head: calls in order while they fit and share no key with an earlier one. */
  private takeGroup(): typeof this.queue {
    const group: typeof this.queue = [];
    const taken = new Set<string>();
    let size = 0;
    for (const entry of this.queue) {
      if (group.length > 0 && size + entry.size > this.maxSize) break;
      const keys = [...this.keys(entry.call)];
      if (keys.some((key) => taken.has(key))) break;
      for (const key of keys) taken.add(key);
      group.push(entry);
      size += entry.size;
    }
    this.queue.splice(0, group.length);
    return group;
  }
}

/**
 * One turn of the event loop, not a timer: callers answered, or woken, in this turn queue
 * their next call before the appender looks. Without it, the first caller of a group to
 * append again went out alone and the others waited a whole call behind it (groups of 1 and
 * 7 with 8 writers, not 8).
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
