import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
//
// Until this migration, a rebuild built the projection tables' keys and indexes without their
// names, so PostgreSQL named them (`stance_versions_pkey`, `stance_facts_negotiation_id_…_idx`)
// and the names the migrations gave were gone from any database that had been rebuilt. A later
// migration that names one would fail there. This gives them their names back; a database
// never rebuilt has them already and is left as it is. Rebuilds now keep the names.

/** Primary keys the migrations named, by table. */
const PRIMARY_KEYS: Record<string, string> = {
  projected_parties: 'projected_parties_pk',
  projected_issues: 'projected_issues_pk',
  stance_versions: 'stance_versions_pk',
  stance_keys: 'stance_keys_pk',
  alert_rule_versions: 'alert_rule_versions_pk',
  news_items: 'news_items_pk',
  news_dismissals: 'news_dismissals_pk',
};

/** Other indexes, by name: their table and definition (without the name), as the migrations made them. */
const INDEXES: Record<string, [string, string]> = {
  stance_versions_negotiation_idx: ['stance_versions', 'CREATE INDEX ON public.stance_versions USING btree (negotiation_id, version_position)'],
  stance_facts_as_of_idx: ['stance_facts', "CREATE INDEX ON public.stance_facts USING btree (negotiation_id, party, issue, occurred_at DESC, event_position DESC) WHERE (kind <> 'red-line'::text)"],
  stance_facts_red_line_idx: ['stance_facts', "CREATE INDEX ON public.stance_facts USING btree (negotiation_id, party, issue, occurred_at DESC, event_position DESC) WHERE (kind = 'red-line'::text)"],
  stance_facts_salience_idx: ['stance_facts', "CREATE INDEX ON public.stance_facts USING btree (negotiation_id, party, issue, occurred_at DESC, event_position DESC) WHERE ((kind = 'set'::text) AND (salience IS NOT NULL))"],
  alert_rule_versions_negotiation_idx: ['alert_rule_versions', 'CREATE INDEX ON public.alert_rule_versions USING btree (negotiation_id, "position")'],
  open_alerts_rule_idx: ['open_alerts', 'CREATE INDEX ON public.open_alerts USING btree (rule_id, key)'],
  news_items_negotiation_idx: ['news_items', 'CREATE INDEX ON public.news_items USING btree (negotiation_id) WHERE (negotiation_id IS NOT NULL)'],
  news_items_source_idx: ['news_items', 'CREATE INDEX ON public.news_items USING btree (source_id) WHERE (source_id IS NOT NULL)'],
};

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, name] of Object.entries(PRIMARY_KEYS)) {
    const { rows } = await sql<{ conname: string }>`
      select conname from pg_constraint where conrelid = ${`public.${table}`}::regclass and contype = 'p'`.execute(db);
    const current = rows[0]?.conname;
    if (current && current !== name) await sql`alter table ${sql.table(table)} rename constraint ${sql.id(current)} to ${sql.id(name)}`.execute(db);
  }
  for (const [name, [table, definition]] of Object.entries(INDEXES)) {
    const { rows } = await sql<{ relname: string }>`
      select c.relname from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = ${`public.${table}`}::regclass
        and not exists (select 1 from pg_class n where n.relname = ${name} and n.relnamespace = c.relnamespace)
        and regexp_replace(pg_get_indexdef(i.indexrelid), '^CREATE (UNIQUE )?INDEX \\S+ ON ', 'CREATE \\1INDEX ON ') = ${definition}`.execute(db);
    const current = rows[0]?.relname;
    if (current) await sql`alter index ${sql.id(current)} rename to ${sql.id(name)}`.execute(db);
  }
}

/** Names only: nothing to undo. */
export async function down(): Promise<void> {}
