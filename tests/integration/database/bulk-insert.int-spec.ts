import fc from 'fast-check';
import { sql } from 'kysely';
import { unnestInsert, type ColumnTypes } from '../../../src/database/bulk-insert';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { numRuns } from '../../support/property';

const COLUMNS: ColumnTypes = { id: 'uuid', n: 'int8', label: 'text', doc: 'jsonb', x: 'float8', at: 'timestamptz', flag: 'bool' };

/** Text as COPY must carry it: tabs, newlines, backslashes, quotes, braces, `\N` spelled out, astral characters. */
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom('\t', '\n', '\r', '\\', '"', "'", '{', '}', ',', 'N', 'a', ' ', 'é', '😀') }),
  fc.string({ unit: 'grapheme' }),
  fc.constant('\\N'),
);
const row = fc.record({
  id: fc.uuid(),
  n: fc.integer(),
  label: fc.option(text, { nil: null }),
  doc: fc.option(fc.jsonValue().map((v) => JSON.stringify(v)), { nil: null }),
  x: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
  // Years 1 BC … 9999, as history written past the API can hold.
  at: fc.date({ min: new Date('-000100-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
  flag: fc.option(fc.boolean(), { nil: null }),
});

describe('bulk inserts on PostgreSQL: COPY writes exactly what the INSERT over arrays writes', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    for (const table of ['by_insert', 'by_copy']) {
      await sql.raw(`create table ${table} (id uuid, n int8, label text, doc jsonb, x float8, at timestamptz, flag bool)`).execute(database.connection.db);
    }
  });
  afterAll(() => database.drop());

  it('round-trips any text, JSON, number, date and null, inside the session transaction', async () => {
    const { db, bulkSession } = database.connection;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), async (rows) => {
        await sql`truncate by_insert, by_copy`.execute(db);
        await unnestInsert(db)('by_insert', COLUMNS, rows);
        await bulkSession!((session) => session.db.transaction().execute(() => session.copyInto('public')('by_copy', COLUMNS, rows)));
        const read = (table: string) => sql<Record<string, unknown>>`select * from ${sql.table(table)} order by id, n`.execute(db).then((r) => r.rows);
        const copied = await read('by_copy');
        expect(copied).toEqual(await read('by_insert'));
        expect(copied).toHaveLength(rows.length);
      }),
      { numRuns: numRuns(50) },
    );
  });

  it('undoes COPY rows with the transaction they were written in', async () => {
    const { db, bulkSession } = database.connection;
    await sql`truncate by_copy`.execute(db);
    const rows = [{ id: '00000000-0000-4000-8000-000000000001', n: 1, label: 'kept?', doc: '{}', x: 1, at: new Date(), flag: true }];
    await expect(
      bulkSession!((session) =>
        session.db.transaction().execute(async () => {
          await session.copyInto('public')('by_copy', COLUMNS, rows);
          throw new Error('abandon');
        }),
      ),
    ).rejects.toThrow('abandon');
    const { rows: left } = await sql`select count(*)::int as n from by_copy`.execute(db);
    expect(left).toEqual([{ n: 0 }]);
  });
});
