import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('global_position', 'bigint', (c) => c.primaryKey())
    .addColumn('id', 'uuid', (c) => c.notNull().unique())
    .addColumn('stream_id', 'text', (c) => c.notNull())
    .addColumn('stream_version', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('schema_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('metadata', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('events_stream_version_key', ['stream_id', 'stream_version'])
    .execute();

  // One row holds the head of the log. Appenders update it first, so they queue on its row
  // lock and positions are handed out in commit order (see docs/architecture.md).
  await db.schema
    .createTable('event_store_head')
    .addColumn('singleton', 'boolean', (c) => c.primaryKey().defaultTo(true).check(sql`singleton`))
    .addColumn('position', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into event_store_head (singleton, position) values (true, 0)`.execute(db);

  // The log is append-only: the database refuses updates and deletes, whoever asks.
  await sql`
    create function events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'events is append-only (% refused)', tg_op;
    end $$`.execute(db);
  await sql`
    create trigger events_append_only before update or delete on events
    for each row execute function events_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('events').execute();
  await db.schema.dropTable('event_store_head').execute();
  await sql`drop function events_append_only`.execute(db);
}
