import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
// What a poll trimmed, set aside, refused or held back is shown on the source (last_notice),
// and how many items it appended in the current hour is counted (window_*), so a feed that
// churns cannot flood the log (PARLEY_NEWS_MAX_ITEMS_PER_HOUR).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('news_source_status')
    .addColumn('last_notice', 'text')
    .addColumn('window_started_at', 'timestamptz')
    .addColumn('window_items', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('news_source_status').dropColumn('last_notice').dropColumn('window_started_at').dropColumn('window_items').execute();
}
