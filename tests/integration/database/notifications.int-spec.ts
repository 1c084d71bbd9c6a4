import { sql } from 'kysely';
import { connectPostgres } from '../../../src/database/connection';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { eventually } from '../../support/receiver';

/** One LISTEN connection per process, fanned out in memory, that comes back by itself. */
describe('notifications', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  const listeningBackends = async () =>
    (
      await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`.execute(database.connection.db)
    ).rows.map((r) => r.pid);

  it('serves every channel and handler from one connection, and listens again after losing it', async () => {
    const connection = connectPostgres(database.url, 4);
    const got: string[] = [];
    const stops = await Promise.all([
      connection.listen('chan_a', (p) => got.push(`a1:${p}`)),
      connection.listen('chan_a', (p) => got.push(`a2:${p}`)),
      connection.listen('chan_b', (p) => got.push(`b:${p}`)),
    ]);
    try {
      expect(await listeningBackends()).toHaveLength(1);
      await sql`select pg_notify('chan_a', 'x'), pg_notify('chan_b', 'y')`.execute(database.connection.db);
      await eventually(async () => got.length === 3, 'three deliveries');
      expect(got.sort()).toEqual(['a1:x', 'a2:x', 'b:y']);

      // The listening session dies: the connection is replaced and both channels heard again.
      const [pid] = await listeningBackends();
      await sql`select pg_terminate_backend(${pid!})`.execute(database.connection.db);
      got.length = 0;
      await eventually(async () => {
        await sql`select pg_notify('chan_a', 'again'), pg_notify('chan_b', 'again')`.execute(database.connection.db);
        return got.includes('a1:again') && got.includes('b:again');
      }, 'listening again', 10_000);
      expect(await listeningBackends()).toHaveLength(1);

      // One handler stops: the other on its channel still hears.
      await stops[0]!();
      got.length = 0;
      await sql`select pg_notify('chan_a', 'z')`.execute(database.connection.db);
      await eventually(async () => got.includes('a2:z'), 'the remaining handler');
      expect(got).not.toContain('a1:z');
    } finally {
      for (const stop of stops.slice(1)) await stop();
      // The listening connection went back to the pool: closing does not wait for it.
      await connection.close();
    }
  });
});
