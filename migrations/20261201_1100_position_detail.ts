import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // What reads now return with each stance: how sure the coder is and how it is known.
  await db.schema
    .alterTable('stance_facts')
    .addColumn('confidence', 'double precision')
    .addColumn('quote', 'text')
    .addColumn('uncertainty_low', 'double precision')
    .addColumn('uncertainty_high', 'double precision')
    .addColumn('basis', 'text')
    .execute();
  // How precisely a version's occurredAt is known (null: an instant).
  await db.schema.alterTable('stance_versions').addColumn('date_precision', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('stance_versions').dropColumn('date_precision').execute();
  for (const column of ['confidence', 'quote', 'uncertainty_low', 'uncertainty_high', 'basis']) {
    await db.schema.alterTable('stance_facts').dropColumn(column).execute();
  }
}
