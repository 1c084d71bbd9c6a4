import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// A delivery continues the trace of the append that fired it (OpenTelemetry, when on): the
// firing's W3C traceparent travels with its outbox row.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table webhook_outbox add column traceparent text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table webhook_outbox drop column traceparent`.execute(db);
}
