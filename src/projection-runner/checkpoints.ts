import { sql, type Kysely } from 'kysely';
import type { Database } from '../database/schema';
import { TRANSACTION_LOCKS } from '../database/session-lock';

/** The one checkpoint every projection shares (they move together); named before there were several. */
export const RUNNER_CHECKPOINT = 'stances';

export async function readCheckpoint(db: Kysely<Database>, name = RUNNER_CHECKPOINT): Promise<number> {
  const row = await db.selectFrom('projection_checkpoints').select('position').where('name', '=', name).executeTakeFirst();
  return Number(row?.position ?? 0);
}

export async function writeCheckpoint(db: Kysely<Database>, position: number, name = RUNNER_CHECKPOINT): Promise<void> {
  await db
    .insertInto('projection_checkpoints')
    .values({ name, position })
    .onConflict((oc) => oc.column('name').doUpdateSet({ position }))
    .execute();
}

/** One projector at a time, across processes: batches and the rebuild's swap take this lock. */
export async function lockProjections(db: Kysely<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${TRANSACTION_LOCKS.projections})`.execute(db);
}

/** The projection's checkpoint, the log's head and the events passed over, for /health and /metrics. */
export async function projectionStatus(db: Kysely<Database>): Promise<{ checkpoint: number; head: number; skipped: number }> {
  const { rows } = await sql<{ checkpoint: string | null; head: string; skipped: number }>`
    select (select position from projection_checkpoints where name = ${RUNNER_CHECKPOINT}) as checkpoint,
           (select position from event_store_head) as head,
           (select count(*)::int from projection_skipped) as skipped`.execute(db);
  const row = rows[0]!;
  return { checkpoint: Number(row.checkpoint ?? 0), head: Number(row.head), skipped: row.skipped };
}
