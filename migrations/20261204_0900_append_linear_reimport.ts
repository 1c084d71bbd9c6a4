import type { Kysely } from 'kysely';
import { createParleyAppendV3 } from './functions/parley-append.v3';
import { up as appendSetBased } from './20261201_1500_append_set_based';

// Frozen in time: never import application code here.
// parley_append v3: finding stored events is linear (re-importing a 130k-line file was
// quadratic under the log's lock: 51 s, every other append waiting). See functions/.
export async function up(db: Kysely<any>): Promise<void> {
  await createParleyAppendV3(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await appendSetBased(db);
}
