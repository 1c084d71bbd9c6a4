import { AuthFailures, type Windows } from '../../../src/http/auth/auth-failures';
import { ApiKeys } from '../../../src/http/auth/api-keys';

/** Windows in memory, on the spec's own clock. */
class MemoryWindows implements Windows {
  private readonly windows = new Map<string, { hits: number; resetAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, windowMs: number) {
    const current = this.current(key) ?? { hits: 0, resetAt: this.now() + windowMs };
    current.hits++;
    this.windows.set(key, current);
    return { hits: current.hits, msLeft: current.resetAt - this.now() };
  }

  async peek(key: string) {
    const current = this.current(key);
    return current ? { hits: current.hits, msLeft: current.resetAt - this.now() } : { hits: 0, msLeft: 0 };
  }

  private current(key: string) {
    const window = this.windows.get(key);
    if (window && window.resetAt <= this.now()) this.windows.delete(key);
    return this.windows.get(key);
  }
}

describe('AuthFailures: wrong keys per address, in a fixed window', () => {
  let now = 0;
  const clock = () => now;

  it('refuses an address once it reaches the limit, until its window ends', async () => {
    now = 1_000;
    const failures = new AuthFailures(3, new MemoryWindows(clock), 60_000);
    for (let i = 0; i < 2; i++) await failures.record('10.0.0.1');
    expect(await failures.blockedFor('10.0.0.1')).toBe(0);
    await failures.record('10.0.0.1');
    expect(await failures.blockedFor('10.0.0.1')).toBe(60);
    now += 30_000;
    expect(await failures.blockedFor('10.0.0.1')).toBe(30);
    now += 30_000;
    expect(await failures.blockedFor('10.0.0.1')).toBe(0);
  });

  it('counts each address apart', async () => {
    now = 0;
    const failures = new AuthFailures(1, new MemoryWindows(clock), 60_000);
    await failures.record('a');
    expect(await failures.blockedFor('a')).toBeGreaterThan(0);
    expect(await failures.blockedFor('b')).toBe(0);
  });

  it('does nothing with a limit of 0', async () => {
    const failures = new AuthFailures(0, new MemoryWindows(clock), 60_000);
    for (let i = 0; i < 100; i++) await failures.record('a');
    expect(await failures.blockedFor('a')).toBe(0);
  });
});

describe('ApiKeys', () => {
  const keys = new ApiKeys([
    { role: 'reader', key: 'reader-key-1' },
    { role: 'writer', key: 'shared-key-1' },
    { role: 'admin', key: 'shared-key-1' },
  ]);

  it('knows a key by its digest, and the strongest role of a key listed twice', () => {
    expect(keys.enabled).toBe(true);
    expect(keys.roleOf('reader-key-1')).toBe('reader');
    expect(keys.roleOf('shared-key-1')).toBe('admin');
  });

  it('knows no other key, whatever its length', () => {
    for (const guess of ['', 'r', 'reader-key-', 'reader-key-12', 'x'.repeat(10_000)]) expect(keys.roleOf(guess)).toBeUndefined();
    expect(new ApiKeys([]).enabled).toBe(false);
  });
});
