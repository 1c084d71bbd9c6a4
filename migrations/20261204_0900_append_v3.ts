import { type Kysely, sql } from 'kysely';
import { createParleyAppendV3 } from './functions/parley-append.v3';
import { up as appendSetBased } from './20261201_1500_append_set_based';

// Frozen in time: never import application code here.
// parley_append v3 (functions/parley-append.v3.ts): finding stored events is linear and done
// before the log's lock (re-importing a 130k-line file was quadratic under it: 51 s, every
// other append waiting), and every row records whether it ends its append.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table events add column ends_append boolean not null default true`.execute(db);
  // Rows written before: an append was the run of consecutive events of one stream recorded at
  // one instant (parley_append stamps a call's events alike), which is what alert evaluation
  // used to infer each time. Inferred once here; recorded by the append from now on.
  await sql`alter table events disable trigger events_append_only`.execute(db);
  await sql`
    update events e set ends_append = false
    from events n
    where n.global_position = e.global_position + 1 and n.stream_id = e.stream_id and n.recorded_at = e.recorded_at`.execute(db);
  await sql`alter table events enable trigger events_append_only`.execute(db);
  await createParleyAppendV3(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await appendSetBased(db);
  await sql`alter table events drop column ends_append`.execute(db);
}
