import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// A negotiation's scenario branches are the streams `<nid>.scenario.<name>`, each opened by a
// ScenarioOpened event: listing them reads this small partial index, not the log (a prefix LIKE
// cannot use the stream index under every collation).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index events_scenario_opened_idx on events (stream_id) where type = 'ScenarioOpened'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index events_scenario_opened_idx`.execute(db);
}
