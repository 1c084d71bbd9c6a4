import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
// A read waiting for its own negotiation's events names its streams (projection_wants); the
// projector then projects those streams' pending events ahead of a large backlog of other
// streams (an import), and records their positions (projected_ahead) so its pass in log order
// skips them. See docs/architecture.md, "Projecting ahead".
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('projected_ahead').addColumn('global_position', 'bigint', (c) => c.primaryKey()).execute();
  await db.schema
    .createTable('projection_wants')
    .addColumn('stream_id', 'text', (c) => c.primaryKey())
    .addColumn('wanted_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('projection_wants').execute();
  await db.schema.dropTable('projected_ahead').execute();
}
