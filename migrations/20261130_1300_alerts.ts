import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Alert rules as they stood at each position: a projection of `<nid>.rules` streams.
  await db.schema
    .createTable('alert_rule_versions')
    .addColumn('rule_id', 'uuid', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('negotiation_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('params', 'jsonb', (c) => c.notNull())
    .addColumn('webhook_url', 'text')
    .addColumn('removed', 'boolean', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_rule_versions_pk', ['rule_id', 'position'])
    .execute();
  await db.schema
    .createIndex('alert_rule_versions_negotiation_idx')
    .on('alert_rule_versions')
    .columns(['negotiation_id', 'position'])
    .execute();

  // Alert evaluation asks which valid times an append touched, and the latest known before it.
  await db.schema
    .createIndex('stance_versions_negotiation_idx')
    .on('stance_versions')
    .columns(['negotiation_id', 'version_position'])
    .execute();

  // Secrets are configuration, not history: never in an event, never in an answer.
  await db.schema
    .createTable('webhook_secrets')
    .addColumn('rule_id', 'uuid', (c) => c.primaryKey())
    .addColumn('secret', 'text', (c) => c.notNull())
    .execute();

  // Where alert evaluation stands. Not a projection: a rebuild must never re-fire alerts.
  await db.schema
    .createTable('alerting_checkpoint')
    .addColumn('singleton', 'boolean', (c) => c.primaryKey().defaultTo(true).check(sql`singleton`))
    .addColumn('position', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into alerting_checkpoint (singleton, position) select true, coalesce(max(global_position), 0) from events`.execute(db);

  // Webhook deliveries: written with the firing, delivered at least once by the deliverer.
  await db.schema
    .createTable('webhook_outbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('negotiation_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'uuid', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'delivered', 'dead')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('delivered_at', 'timestamptz')
    .execute();
  await sql`create index webhook_outbox_due_idx on webhook_outbox (next_attempt_at) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('stance_versions_negotiation_idx').execute();
  for (const table of ['webhook_outbox', 'alerting_checkpoint', 'webhook_secrets', 'alert_rule_versions']) {
    await db.schema.dropTable(table).execute();
  }
}
