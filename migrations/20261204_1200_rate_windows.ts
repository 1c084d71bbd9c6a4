import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// Rate-limit and failed-authentication counters shared by every instance on the database (a
// limit is a limit across instances): one fixed window per key. Unlogged: counters need no WAL,
// and losing them in a crash only forgives a minute of counts.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create unlogged table rate_windows (
    key text primary key,
    hits integer not null,
    resets_at timestamptz not null
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_windows').execute();
}
