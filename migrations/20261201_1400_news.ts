import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Registered feeds, projected from their `sources:<id>` streams.
  await db.schema
    .createTable('news_sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('poll_interval', 'text', (c) => c.notNull())
    .addColumn('negotiations', 'jsonb', (c) => c.notNull())
    .addColumn('removed', 'boolean', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .execute();
  // How polling goes: operational state of the poller, not history (no events).
  await db.schema
    .createTable('news_source_status')
    .addColumn('source_id', 'text', (c) => c.primaryKey())
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('last_fetched_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_poll_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // Every version of every news item (an edited item is a new version of the same item).
  await db.schema
    .createTable('news_items')
    .addColumn('item_id', 'uuid', (c) => c.notNull())
    .addColumn('version_position', 'bigint', (c) => c.notNull())
    .addColumn('event_id', 'uuid', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('negotiation_id', 'text')
    .addColumn('guid', 'text')
    .addColumn('url', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('publisher', 'text')
    .addColumn('published_at', 'timestamptz')
    .addColumn('summary', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('news_items_pk', ['item_id', 'version_position'])
    .execute();
  await sql`create index news_items_source_idx on news_items (source_id) where source_id is not null`.execute(db);
  await sql`create index news_items_negotiation_idx on news_items (negotiation_id) where negotiation_id is not null`.execute(db);
  await db.schema
    .createTable('news_watch')
    .addColumn('negotiation_id', 'text', (c) => c.primaryKey())
    .addColumn('terms', 'jsonb', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('news_dismissals')
    .addColumn('negotiation_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'uuid', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('news_dismissals_pk', ['negotiation_id', 'item_id', 'position'])
    .execute();
  // Citing an item checks it against the log itself (not a projection that may lag).
  await sql`create index events_news_item_idx on events ((data->>'item')) where type = 'NewsItemReceived'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index events_news_item_idx`.execute(db);
  for (const table of ['news_dismissals', 'news_watch', 'news_items', 'news_source_status', 'news_sources']) await db.schema.dropTable(table).execute();
}
