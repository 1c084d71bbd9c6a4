import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // A rule may also post to an Alertmanager (its base URL).
  await db.schema.alterTable('alert_rule_versions').addColumn('alertmanager_url', 'text').execute();
  // Outbox rows are webhook notifications or Alertmanager PostableAlerts.
  await db.schema
    .alterTable('webhook_outbox')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('webhook').check(sql`kind in ('webhook', 'alertmanager')`))
    .execute();
  // Level alerts that fired and have not resolved yet, projected from the `<nid>.alerts`
  // streams: what is re-sent to Alertmanager while it lasts.
  await db.schema
    .createTable('open_alerts')
    .addColumn('firing_id', 'uuid', (c) => c.primaryKey())
    .addColumn('negotiation_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'uuid', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index open_alerts_rule_idx on open_alerts (rule_id, key)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('open_alerts').execute();
  await db.schema.alterTable('webhook_outbox').dropColumn('kind').execute();
  await db.schema.alterTable('alert_rule_versions').dropColumn('alertmanager_url').execute();
}
