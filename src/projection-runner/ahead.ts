import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../database/schema';
import type { EventStore } from '../event-store/event-store';
import type { StoredEvent } from '../event-store/types';
import { readCheckpoint } from './checkpoints';

/**
 * Projecting ahead: one tenant's bulk load must not stall the others' reads.
 *
 * The projector works through the log in order, one checkpoint for everything. After an import
 * of 130k events, a write to another negotiation sits behind all of them, and a read of it
 * waited ~10 s for the projector (503 past that). But a projection row carries its event's
 * position and times, and every read is as of a recorded time: rows of later events are simply
 * not seen. So the events of one stream may be projected before other streams' earlier events,
 * as long as each stream's own events go in its order (corrections find their targets).
 *
 * A read that waits behind a large backlog names its streams (projection_wants). The leader's
 * projector, before its next batch, takes every pending event of those streams (in order,
 * unless a stream is itself the backlog), projects them, and records their positions
 * (projected_ahead); its pass in log order skips those positions later and forgets them as the
 * checkpoint passes. A read is ready when none of its streams' events up to its position is
 * both past the checkpoint and not projected ahead.
 */

/** A waiting read asks for its streams (upsert: many readers of one negotiation are one row). */
export async function wantStreams(db: Kysely<Database>, streams: string[]): Promise<void> {
  const now = new Date();
  await db
    .insertInto('projection_wants')
    .values(streams.map((stream_id) => ({ stream_id, wanted_at: now })))
    .onConflict((oc) => oc.column('stream_id').doUpdateSet({ wanted_at: now }))
    .execute();
}

/** Whether any event of `streams` in (after, upTo] is still to be projected. */
export async function pendingFor(db: Kysely<Database>, after: number, upTo: number, streams: string[]): Promise<boolean> {
  const { rows } = await sql<{ pending: boolean }>`
    select exists (select 1 from events e
                   where e.stream_id = any(${streams}) and e.global_position > ${after} and e.global_position <= ${upTo}
                     and not exists (select 1 from projected_ahead a where a.global_position = e.global_position)) as pending`.execute(db);
  return rows[0]!.pending;
}

/**
 * The wanted streams' pending events, in log order, recorded as projected ahead; the caller
 * projects them in the same transaction. A stream with more than `maxPerStream` pending events
 * is the backlog itself: left to the pass in order.
 */
export async function takeAhead(trx: Transaction<Database>, store: EventStore, maxPerStream: number): Promise<StoredEvent[]> {
  const { rows: wanted } = await sql<{ stream_id: string }>`delete from projection_wants returning stream_id`.execute(trx);
  if (wanted.length === 0) return [];
  const after = await readCheckpoint(trx);
  const taken: StoredEvent[] = [];
  for (const { stream_id } of wanted) {
    const pending = trx
      .selectFrom('events as e')
      .where('e.stream_id', '=', stream_id)
      .where('e.global_position', '>', String(after))
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('projected_ahead as a').select('a.global_position').whereRef('a.global_position', '=', 'e.global_position'))));
    // Counted on the index first: a stream that is itself the backlog (the reader's own import)
    // is left to the pass in order, without reading its rows for nothing on every batch.
    const counted = await pending.select('e.global_position').limit(maxPerStream + 1).execute();
    if (counted.length === 0 || counted.length > maxPerStream) continue;
    const rows = await pending.selectAll('e').orderBy('e.global_position').execute();
    taken.push(...rows.map((row) => store.toStoredEvent(row)));
  }
  taken.sort((a, b) => a.globalPosition - b.globalPosition);
  if (taken.length > 0) await trx.insertInto('projected_ahead').values(taken.map((e) => ({ global_position: String(e.globalPosition) }))).execute();
  return taken;
}

/** Positions in (after, upTo] already projected ahead, forgotten now that the pass in order reaches them. */
export async function passAhead(trx: Transaction<Database>, upTo: number): Promise<Set<number>> {
  const { rows } = await sql<{ global_position: string }>`delete from projected_ahead where global_position <= ${upTo} returning global_position`.execute(trx);
  return new Set(rows.map((r) => Number(r.global_position)));
}
