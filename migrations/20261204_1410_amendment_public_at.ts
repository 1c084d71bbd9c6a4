import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// "What was public then", corrections included (issue 30): each version of a position-carrying
// event keeps when it became public. The original's is its report's; a correction's or a
// retraction's, its own report's (else its recordedAt). Rows projected before this column hold
// null, read as the version's recordedAt; a rebuild fills them.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table stance_versions add column public_at timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table stance_versions drop column public_at`.execute(db);
}
