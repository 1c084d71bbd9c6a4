/** Counters in fixed windows: the database's (RateWindows, shared by instances), or a unit spec's. */
export interface Windows {
  hit(key: string, windowMs: number): Promise<{ hits: number; msLeft: number }>;
  peek(key: string): Promise<{ hits: number; msLeft: number }>;
}

/**
 * Failed authentications (wrong keys or tokens) per client address, in a fixed window. Past
 * the limit the address's failures are answered 429 for the rest of the window. Its valid keys
 * still pass: one office behind a NAT must not be locked out by one mistyped key. The counts
 * live in the database (RateWindows), so a limit is one limit across every instance.
 */
export class AuthFailures {
  constructor(
    private readonly limit: number,
    private readonly windows: Windows,
    private readonly windowMs = 60_000,
  ) {}

  /** Seconds until the address may try again, or 0 when it may now. */
  async blockedFor(address: string): Promise<number> {
    if (this.limit === 0) return 0;
    const { hits, msLeft } = await this.windows.peek(`auth:${address}`);
    return hits >= this.limit ? Math.max(1, Math.ceil(msLeft / 1000)) : 0;
  }

  async record(address: string): Promise<void> {
    if (this.limit === 0) return;
    await this.windows.hit(`auth:${address}`, this.windowMs);
  }
}
