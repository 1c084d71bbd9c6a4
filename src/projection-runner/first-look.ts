import { sql, type Kysely } from 'kysely';
import type { Database } from '../database/schema';
import { RUNNER_CHECKPOINT } from './checkpoints';

/** What one read asks of its first look at the log. */
export interface LookAsk {
  /** The stream whose version (and asked version's position) the read checks: null for none. */
  stream: string | null;
  version?: number | undefined;
  /** The streams whose last position fixes the answer; 'all' for the head. */
  streams: string[] | 'all';
}

/** A stream's state as the first look found it, for the caller to check (404s). */
export interface StreamFound {
  /** 0 when the stream has no events. */
  version: number;
  /** When the stream's last event was recorded (null: no events): a knownAt at or after it knows them all. */
  lastRecordedAt: Date | null;
  /** The global position of the asked version, null when the stream has no such event. */
  versionPosition: number | null;
  /**
   * The position of the last event of the read's streams (the head, for 'all'): what an as-of
   * answer is fixed by, with the question (http/as-of-cache.ts).
   */
  last: number;
  /**
   * The primary's WAL timeline, one more after every promotion. After a failover that lost
   * commits (asynchronous replication), the new primary gives their positions to other events:
   * position and timeline together name what an answer was read from.
   */
  timeline: number;
}

export interface FirstLook {
  head: number;
  /** The database's clock when the look ran: what "now" means for the read. */
  now: Date;
  checkpoint: number;
  found: StreamFound;
}

interface Waiting {
  ask: LookAsk;
  resolve: (look: FirstLook) => void;
  reject: (error: unknown) => void;
}

/**
 * Every read's first round trip, grouped: at most one look is in flight, and the reads that
 * arrive meanwhile go together in the next one, a single query however many they are (the
 * read-side twin of the appender's group commit). A read's look is always *sent after the read
 * arrived*, so it sees every write answered before: read your writes holds as it did with one
 * query per read. Under load, fifty concurrent reads cost one or two round trips instead of
 * fifty; alone, a read waits for nothing but its own (docs/architecture.md, "One append, from
 * HTTP to the feed", step 5).
 */
export class FirstLooks {
  private waiting: Waiting[] = [];
  private running = false;

  constructor(private readonly db: Kysely<Database>) {}

  look(ask: LookAsk): Promise<FirstLook> {
    return new Promise<FirstLook>((resolve, reject) => {
      this.waiting.push({ ask, resolve, reject });
      if (this.running) return;
      this.running = true;
      // One turn of the event loop, so the reads parsed in this turn go in the first group too.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting;
        this.waiting = [];
        await this.answer(group);
      }
    } finally {
      this.running = false;
    }
  }

  private async answer(group: Waiting[]): Promise<void> {
    // Identical asks (the same dashboard panel from fifty browsers) are looked up once.
    const index = new Map<string, number>();
    const asks: LookAsk[] = [];
    const slots = group.map(({ ask }) => {
      const key = JSON.stringify([ask.stream, ask.version ?? null, ask.streams]);
      let slot = index.get(key);
      if (slot === undefined) {
        slot = asks.push(ask) - 1;
        index.set(key, slot);
      }
      return slot;
    });
    try {
      const looks = await lookAll(this.db, asks);
      group.forEach((waiting, i) => waiting.resolve(looks[slots[i]!]!));
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
    }
  }
}

/**
 * One query for many asks, on the primary: `parley_first_look` (migrations/20261204_2200_first_look.ts)
 * reads the log's head, the database's clock, the projection checkpoint and the timeline once
 * for all (a materialized CTE), with each ask's stream version, last recording, asked version's
 * position and last position beside them. The head and the clock are read together: "now" for
 * a read is the clock that stamps recordedAt, never the app's, so a read at now sees every
 * answered write even when the two disagree. A function, because PL/pgSQL keeps its plan for
 * the session: sent as SQL, the query was parsed and planned on every call, most of its cost.
 * Its shape keeps the planner's estimate small: a join on the head table (unanalyzed, 2,200 rows
 * guessed) priced it past JIT's threshold, 290 ms of compiling per call.
 */
async function lookAll(db: Kysely<Database>, asks: LookAsk[]): Promise<FirstLook[]> {
  const rows = asks.map((ask, i) => ({ i, stream: ask.stream, version: ask.version ?? null, whole: ask.streams === 'all', streams: ask.streams === 'all' ? [] : ask.streams }));
  const { rows: found } = await sql<{ i: number; head: string; now: Date; checkpoint: string | null; timeline: number; version: number | null; last_recorded_at: Date | null; version_position: string | null; last: string | null }>`
    select * from parley_first_look(${JSON.stringify(rows)}::jsonb, ${RUNNER_CHECKPOINT})`.execute(db);
  const looks: FirstLook[] = [];
  for (const row of found) {
    looks[row.i] = {
      head: Number(row.head),
      now: row.now,
      checkpoint: Number(row.checkpoint ?? 0),
      found: {
        version: row.version ?? 0,
        lastRecordedAt: row.last_recorded_at,
        versionPosition: row.version_position === null ? null : Number(row.version_position),
        last: Number(row.last ?? 0),
        timeline: row.timeline,
      },
    };
  }
  return looks;
}
