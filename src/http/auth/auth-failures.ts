/**
 * Failed authentications (wrong keys or tokens) per client address, in a fixed window. Past
 * the limit the address's failures are answered 429 for the rest of the window. Its valid keys
 * still pass: one office behind a NAT must not be locked out by one mistyped key. The count is
 * per process: with N instances an address gets N times the limit (docs/reliability.md).
 */
export class AuthFailures {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the address may try again, or 0 when it may now. */
  blockedFor(address: string): number {
    if (this.limit === 0) return 0;
    const window = this.current(address);
    return window && window.count >= this.limit ? Math.ceil((window.resetAt - this.now()) / 1000) : 0;
  }

  record(address: string): void {
    if (this.limit === 0) return;
    const window = this.current(address) ?? { count: 0, resetAt: this.now() + this.windowMs };
    window.count++;
    this.windows.set(address, window);
    if (this.windows.size > 100_000) this.sweep();
  }

  private current(address: string): { count: number; resetAt: number } | undefined {
    const window = this.windows.get(address);
    if (!window) return undefined;
    if (window.resetAt <= this.now()) {
      this.windows.delete(address);
      return undefined;
    }
    return window;
  }

  private sweep(): void {
    for (const address of [...this.windows.keys()]) this.current(address);
  }
}
