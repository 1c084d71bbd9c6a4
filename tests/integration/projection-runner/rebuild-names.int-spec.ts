import { EventStore } from '../../../src/event-store/event-store';
import { sql, type Kysely } from 'kysely';
import { up as restoreNames } from '../../../migrations/20261201_1600_projection_index_names';
import type { Database } from '../../../src/database/schema';
import { EventRegistry } from '../../../src/event-store/event-registry';
import { rebuildProjections } from '../../../src/projection-runner/rebuild';
import { eventDefinitions, projections } from '../../../src/app.module';
import { createTestDatabase, type TestDatabase } from '../../support/database';

const TABLES = ['projection_checkpoints', ...projections.flatMap((p) => p.tables)];

/** Every key and index of the projection tables: name and definition (the name cut out). */
async function indexes(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ entry: string }>`
    select c.relname || ' ' || regexp_replace(pg_get_indexdef(i.indexrelid), '^CREATE (UNIQUE )?INDEX \\S+ ON ', 'CREATE \\1INDEX ON ') as entry
    from pg_index i join pg_class c on c.oid = i.indexrelid
    where i.indrelid::regclass::text = any(${TABLES})
    order by 1`.execute(db);
  return rows.map((r) => r.entry);
}

describe('projection tables keep the names their migrations gave', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('through a rebuild: every key and index, same name, same definition', async () => {
    const { db } = database.connection;
    const before = await indexes(db);
    expect(before.length).toBeGreaterThanOrEqual(TABLES.length);
    await rebuildProjections(database.connection, new EventStore(database.connection.db, new EventRegistry(eventDefinitions)), projections);
    expect(await indexes(db)).toEqual(before);
  });

  it('and gets them back where an earlier rebuild let PostgreSQL name them', async () => {
    const { db } = database.connection;
    const named = await indexes(db);
    // What rebuilds before this fix left: PostgreSQL's own names.
    await sql`alter table stance_versions rename constraint stance_versions_pk to stance_versions_pkey`.execute(db);
    await sql`alter index stance_facts_as_of_idx rename to stance_facts_negotiation_id_party_issue_occurred_at_event_p_idx`.execute(db);
    await sql`alter index news_items_source_idx rename to news_items_source_id_idx`.execute(db);
    expect(await indexes(db)).not.toEqual(named);
    await restoreNames(db);
    expect(await indexes(db)).toEqual(named);
    await restoreNames(db); // and again: nothing left to do
    expect(await indexes(db)).toEqual(named);
  });
});
