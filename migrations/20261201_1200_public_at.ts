import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // When a fact's report became public: its source's publishedAt, else when it was recorded.
  // "What was public on date X" filters on it (rows projected before it existed count as
  // public when recorded; a rebuild fills it in).
  await db.schema.alterTable('stance_facts').addColumn('public_at', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('stance_facts').dropColumn('public_at').execute();
}
