import { sql, type Kysely } from 'kysely';
import type { Database } from '../database/schema';
import { RUNNER_CHECKPOINT } from './checkpoints';

/**
 * Whether a replica's projections answer a read that needs every event of `streams` up to
 * `position`: the replica has replayed the log that far (its head row), and its projection
 * checkpoint (which replicates with the rows it covers) is past every such event, or the
 * event was projected ahead (ahead.ts).
 */
export async function replicaHolds(db: Kysely<Database>, position: number, streams: string[]): Promise<boolean> {
  const { rows } = await sql<{ head: string; checkpoint: string | null; pending: boolean }>`
    select h.position as head, c.position as checkpoint,
           exists (select 1 from events e
                   where e.stream_id = any(${streams}) and e.global_position > coalesce(c.position, 0) and e.global_position <= ${position}
                     and not exists (select 1 from projected_ahead a where a.global_position = e.global_position)) as pending
    from event_store_head h
    left join projection_checkpoints c on c.name = ${RUNNER_CHECKPOINT}`.execute(db);
  const row = rows[0];
  return row !== undefined && Number(row.head) >= position && !row.pending;
}

/** Whether a replica's log has replayed every event up to `position` (its head row). */
export async function replicaHasLog(db: Kysely<Database>, position: number): Promise<boolean> {
  const head = await db.selectFrom('event_store_head').select('position').executeTakeFirstOrThrow();
  return Number(head.position) >= position;
}
