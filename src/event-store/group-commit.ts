/** What keeps calls apart: `ids` never share a group, `streams` never share two groups in flight. */
export interface CallKeys {
  ids: Iterable<string>;
  streams: Iterable<string>;
}

export interface GroupCommitOptions {
  /** Events in one group at most: a group of many small calls stays a bounded document. */
  maxSize?: number;
  /**
   * A second group goes out while one is in flight only when at least this many events wait,
   * or the one in flight holds at least this many: it unpacks its document while the first
   * holds the log's lock (or unpacks its own), and takes the lock when it can. Below this, one
   * group at a time costs less than a second connection's round trip.
   */
  secondAt?: number;
}

interface Entry<Call, Result> {
  call: Call;
  size: number;
  keys: { ids: string[]; streams: string[] };
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: one appender per store. Whatever callers queue while a write is in flight
 * goes out together in the next one, one call and one commit for all of them (no timer: an
 * idle appender writes a lone call at once). Each caller gets its own result; if the call
 * itself fails, every caller in it gets that error, and none of its writes happened.
 *
 * Two calls that share an event id never go in one group: the later one waits for the next,
 * so it finds the earlier one's events stored, as it would have alone. With many events
 * waiting, a second group may be in flight beside the first, never on a stream the first
 * writes: the two take the log's lock in either order, which only calls that did not wait
 * for each other can tell.
 */
export class GroupCommit<Call, Result> {
  private queue: Entry<Call, Result>[] = [];
  /** Each group in flight: the streams it writes and how many events it holds. */
  private readonly inFlight = new Set<{ streams: Set<string>; size: number }>();
  private scheduled = false;
  private readonly maxSize: number;
  private readonly secondAt: number;

  constructor(
    private readonly write: (calls: Call[]) => Promise<Result[]>,
    private readonly keys: (call: Call) => CallKeys = () => ({ ids: [], streams: [] }),
    { maxSize = 5000, secondAt = 200 }: GroupCommitOptions = {},
  ) {
    this.maxSize = maxSize;
    this.secondAt = secondAt;
  }

  submit(call: Call, size: number): Promise<Result> {
    const { ids, streams } = this.keys(call);
    return new Promise((resolve, reject) => {
      this.queue.push({ call, size, keys: { ids: [...ids], streams: [...streams] }, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Looks at the queue after one turn of the event loop, not a timer: callers answered, or
   * woken, in this turn queue their next call first. Without it, the first caller of a group
   * to append again went out alone and the others waited a whole call behind it (groups of 1
   * and 7 with 8 writers, not 8).
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    for (;;) {
      const waiting = this.queue.reduce((sum, entry) => sum + entry.size, 0);
      // Beside a large group (an import of thousands of events) even one small call goes out:
      // it unpacks while that one does and takes the lock right after, rather than waiting for
      // the whole of the large group's round trip.
      const busyWithLarge = [...this.inFlight].some((group) => group.size >= this.secondAt);
      if (this.queue.length === 0 || this.inFlight.size >= 2 || (this.inFlight.size === 1 && waiting < this.secondAt && !busyWithLarge)) return;
      // Idle with enough waiting for two: half now, so the other half can unpack beside it.
      const cap = this.inFlight.size === 0 && waiting >= 2 * this.secondAt ? Math.ceil(waiting / 2) : this.maxSize;
      const group = this.takeGroup(Math.min(cap, this.maxSize));
      if (group.length === 0) return;
      const flight = { streams: new Set(group.flatMap((g) => g.keys.streams)), size: group.reduce((sum, g) => sum + g.size, 0) };
      this.inFlight.add(flight);
      void this.send(group).finally(() => {
        this.inFlight.delete(flight);
        this.schedule();
      });
    }
  }

  private async send(group: Entry<Call, Result>[]): Promise<void> {
    try {
      const results = await this.write(group.map((g) => g.call));
      group.forEach((g, i) => g.resolve(results[i]!));
    } catch (error) {
      for (const g of group) g.reject(error);
    }
  }

  /**
   * The queue's head, in order, while the calls fit, share no id with an earlier one and
   * write no stream a group in flight writes.
   */
  private takeGroup(maxSize: number): Entry<Call, Result>[] {
    const group: Entry<Call, Result>[] = [];
    const ids = new Set<string>();
    let size = 0;
    for (const entry of this.queue) {
      if (group.length > 0 && size + entry.size > maxSize) break;
      if (entry.keys.ids.some((id) => ids.has(id))) break;
      if (entry.keys.streams.some((stream) => [...this.inFlight].some((busy) => busy.streams.has(stream)))) break;
      for (const id of entry.keys.ids) ids.add(id);
      group.push(entry);
      size += entry.size;
    }
    this.queue.splice(0, group.length);
    return group;
  }
}
