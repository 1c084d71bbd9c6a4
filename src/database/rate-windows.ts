import { sql, type Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * Fixed-window counters in the database (`rate_windows`), so a limit holds across every
 * instance instead of N instances giving N times it. One statement per count: the upsert
 * starts a new window when the old one has run out.
 */
export class RateWindows {
  private counted = 0;

  constructor(private readonly db: Kysely<Database>) {}

  /** Counts one more hit on `key`; the hits in its window and the milliseconds the window has left. */
  async hit(key: string, windowMs: number): Promise<{ hits: number; msLeft: number }> {
    const { rows } = await sql<{ hits: number; ms_left: number }>`
      insert into rate_windows (key, hits, resets_at) values (${key}, 1, now() + ${windowMs} * interval '1 millisecond')
      on conflict (key) do update set
        hits = case when rate_windows.resets_at <= now() then 1 else rate_windows.hits + 1 end,
        resets_at = case when rate_windows.resets_at <= now() then excluded.resets_at else rate_windows.resets_at end
      returning hits, greatest(0, extract(epoch from (resets_at - now())) * 1000)::float8 as ms_left`.execute(this.db);
    // Now and then, windows long run out are swept (they would be reset on their next hit anyway).
    if (++this.counted % 1000 === 0) await sql`delete from rate_windows where resets_at < now() - interval '1 hour'`.execute(this.db);
    return { hits: rows[0]!.hits, msLeft: rows[0]!.ms_left };
  }

  /** The hits in `key`'s current window and the milliseconds it has left (0 hits when none runs). */
  async peek(key: string): Promise<{ hits: number; msLeft: number }> {
    const { rows } = await sql<{ hits: number; ms_left: number }>`
      select hits, extract(epoch from (resets_at - now())) * 1000 as ms_left from rate_windows where key = ${key} and resets_at > now()`.execute(this.db);
    return rows[0] ? { hits: rows[0].hits, msLeft: Number(rows[0].ms_left) } : { hits: 0, msLeft: 0 };
  }
}
