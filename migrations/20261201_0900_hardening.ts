import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Events a projection could not process: skipped (so one bad row cannot stop every read),
  // and kept here so /health and /metrics report them and an operator can look.
  await db.schema
    .createTable('projection_skipped')
    .addColumn('projection', 'text', (c) => c.notNull())
    .addColumn('global_position', 'bigint', (c) => c.notNull())
    .addColumn('event_id', 'uuid', (c) => c.notNull())
    .addColumn('error', 'text', (c) => c.notNull())
    .addColumn('skipped_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('projection_skipped_pk', ['projection', 'global_position'])
    .execute();

  // Alert evaluation judges whole appends; when one append spans projector batches, the
  // checkpoint still moves per batch and this remembers where the unfinished append began.
  await db.schema.alterTable('alerting_checkpoint').addColumn('pending_from', 'bigint').execute();

  // A webhook's full URL is a credential as much as its secret (paths and query strings carry
  // tokens): kept here with the secret, while events and non-admin reads show it redacted.
  await db.schema.alterTable('webhook_secrets').addColumn('url', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_secrets').dropColumn('url').execute();
  await db.schema.alterTable('alerting_checkpoint').dropColumn('pending_from').execute();
  await db.schema.dropTable('projection_skipped').execute();
}
