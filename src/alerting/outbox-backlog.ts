import type { Kysely } from 'kysely';
import type { Database } from '../database/schema';

/** Dead and pending deliveries, and when the oldest pending one was created: one query for /metrics. */
export async function outboxBacklog(db: Kysely<Database>): Promise<{ dead: number; pending: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('webhook_outbox')
    .select((eb) => [
      eb.fn.countAll<string>().filterWhere('status', '=', 'dead').as('dead'),
      eb.fn.countAll<string>().filterWhere('status', '=', 'pending').as('pending'),
      eb.fn.min('created_at').filterWhere('status', '=', 'pending').as('oldest'),
    ])
    .where('status', 'in', ['dead', 'pending'])
    .executeTakeFirstOrThrow();
  return { dead: Number(row.dead), pending: Number(row.pending), oldest: row.oldest ? new Date(row.oldest) : null };
}
