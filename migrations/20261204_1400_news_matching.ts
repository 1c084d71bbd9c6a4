import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
// News matching that tells "US" from "us" and knows short keywords (issue 30): an issue's
// keywords (IssueDefined.keywords, projected), and a negotiation's case-sensitive and excluded
// watch terms (WatchTermsSet). Existing rows get empty lists: no earlier event holds either.
// Also an issue's status quo (IssueDefined.statusQuo, for the Nash bargaining model).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table projected_issues add column keywords jsonb not null default '[]'`.execute(db);
  // The status quo (IssueDefined.statusQuo): the Nash bargaining model's disagreement point.
  await sql`alter table projected_issues add column status_quo double precision`.execute(db);
  await sql`alter table news_watch add column case_sensitive jsonb not null default '[]', add column exclude jsonb not null default '[]'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table news_watch drop column case_sensitive, drop column exclude`.execute(db);
  await sql`alter table projected_issues drop column keywords, drop column status_quo`.execute(db);
}
