import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Reading one negotiation's events in global order (GET /negotiations/{nid}/events).
  await db.schema.createIndex('events_stream_position_idx').on('events').columns(['stream_id', 'global_position']).execute();

  await db.schema
    .createTable('projection_checkpoints')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into projection_checkpoints (name, position) values ('stances', 0)`.execute(db);

  // Parties and issues: shown as known at knownAt, whatever their occurredAt.
  await db.schema
    .createTable('projected_parties')
    .addColumn('negotiation_id', 'text', (c) => c.notNull())
    .addColumn('party', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('aliases', 'jsonb', (c) => c.notNull())
    .addColumn('capability', 'double precision')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('projected_parties_pk', ['negotiation_id', 'party'])
    .execute();
  await db.schema
    .createTable('projected_issues')
    .addColumn('negotiation_id', 'text', (c) => c.notNull())
    .addColumn('issue', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('scale_min', 'double precision', (c) => c.notNull())
    .addColumn('scale_max', 'double precision', (c) => c.notNull())
    .addColumn('labels', 'jsonb', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('projected_issues_pk', ['negotiation_id', 'issue'])
    .execute();

  // Each position-carrying event has versions: the original, then each correction or
  // retraction, each from its own recordedAt on. As of knownAt an event is its latest version
  // recorded by then; a retracted version carries no facts.
  await db.schema
    .createTable('stance_versions')
    .addColumn('event_id', 'uuid', (c) => c.notNull())
    .addColumn('version_position', 'bigint', (c) => c.notNull())
    .addColumn('negotiation_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('retracted', 'boolean', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('source', 'jsonb')
    .addPrimaryKeyConstraint('stance_versions_pk', ['event_id', 'version_position'])
    .execute();

  // What each version says about each (party, issue): the stance timeline.
  await db.schema
    .createTable('stance_facts')
    .addColumn('negotiation_id', 'text', (c) => c.notNull())
    .addColumn('party', 'text', (c) => c.notNull())
    .addColumn('issue', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('set', 'withdraw', 'red-line')`))
    .addColumn('value', 'double precision')
    .addColumn('salience', 'double precision')
    .addColumn('min', 'double precision')
    .addColumn('max', 'double precision')
    .addColumn('summary', 'text')
    .addColumn('event_id', 'uuid', (c) => c.notNull())
    .addColumn('event_position', 'bigint', (c) => c.notNull())
    .addColumn('version_position', 'bigint', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // The as-of lookup: per (party, issue), newest valid time first, ties by position.
  await sql`
    create index stance_facts_as_of_idx on stance_facts
      (negotiation_id, party, issue, occurred_at desc, event_position desc)
      where kind <> 'red-line'`.execute(db);
  await sql`
    create index stance_facts_salience_idx on stance_facts
      (negotiation_id, party, issue, occurred_at desc, event_position desc)
      where kind = 'set' and salience is not null`.execute(db);
  await sql`
    create index stance_facts_red_line_idx on stance_facts
      (negotiation_id, party, issue, occurred_at desc, event_position desc)
      where kind = 'red-line'`.execute(db);
  // (party, issue) pairs that ever had a fact: the outer loop of the as-of lookup.
  await db.schema
    .createTable('stance_keys')
    .addColumn('negotiation_id', 'text', (c) => c.notNull())
    .addColumn('party', 'text', (c) => c.notNull())
    .addColumn('issue', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stance_keys_pk', ['negotiation_id', 'party', 'issue'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['stance_keys', 'stance_facts', 'stance_versions', 'projected_issues', 'projected_parties', 'projection_checkpoints']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.dropIndex('events_stream_position_idx').execute();
}
