import { sql, type Kysely } from 'kysely';
import type { Database } from './schema';

/** Whether the database answers a trivial query (for /health); throws what the driver throws. */
export async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
