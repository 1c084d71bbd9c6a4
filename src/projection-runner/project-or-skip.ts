import { sql, type Kysely } from 'kysely';
import { unnestInsert, type BulkInsert } from '../database/bulk-insert';
import { isTransient } from '../database/errors';
import type { Database } from '../database/schema';
import type { StoredEvent } from '../event-store/types';
import { RUNNER_CHECKPOINT } from './checkpoints';
import type { Projection, SkippedEvent } from './projection';

/**
 * Every projection applied to a batch, but an event they cannot process (a row written
 * before today's checks, or by hand) does not stop them: the batch is retried event by event inside
 * savepoints, and each event that fails alone is recorded in `projection_skipped` (through
 * `log`, the live schema even during a rebuild) and passed over. A database that is away is
 * not the data's fault: that error goes up and the batch is retried whole.
 */
export async function projectOrSkip(
  db: Kysely<Database>,
  log: Kysely<Database>,
  projections: readonly Projection[],
  events: StoredEvent[],
  bulk: BulkInsert = unnestInsert(db),
): Promise<SkippedEvent[]> {
  const attempt = async (batch: StoredEvent[]): Promise<unknown> => {
    await sql`savepoint project_batch`.execute(db);
    try {
      for (const projection of projections) await projection.project(db, batch, bulk);
      await sql`release savepoint project_batch`.execute(db);
      return undefined;
    } catch (error) {
      if (isTransient(error)) throw error;
      await sql`rollback to savepoint project_batch`.execute(db);
      return error;
    }
  };
  if ((await attempt(events)) === undefined) return [];
  const skipped: SkippedEvent[] = [];
  for (const event of events) {
    const error = await attempt([event]);
    if (error === undefined) continue;
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    await log
      .insertInto('projection_skipped')
      .values({ projection: RUNNER_CHECKPOINT, global_position: event.globalPosition, event_id: event.id, error: message })
      .onConflict((oc) => oc.doNothing())
      .execute();
    skipped.push({ position: event.globalPosition, eventId: event.id, error: message });
  }
  return skipped;
}

