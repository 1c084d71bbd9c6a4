import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../support/database';

/**
 * parley_append looks at stored ids before taking the log's lock (a stored file imported again
 * costs no time under the lock), and again under the lock at the ids it had not found: these
 * pin the second look, which only another session storing an id in between can reach.
 */
describe('parley_append: ids stored while it waited for the lock', () => {
  let database: TestDatabase;
  const call = (stream: string, events: { id: string; data: unknown }[]) =>
    JSON.stringify([
      { stream, expected: null, base: null, baseLast: null, events: events.map((e) => ({ id: e.id, type: 'T', sv: 1, data: e.data, meta: {}, at: '2025-04-01T00:00:00.000Z' })) },
    ]);

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  async function whileLocked(stored: string, waiting: string): Promise<any[]> {
    const holder = new Client({ connectionString: database.url });
    const waiter = new Client({ connectionString: database.url });
    await holder.connect();
    await waiter.connect();
    try {
      await holder.query('begin');
      await holder.query('select position from event_store_head for update');
      const pid = (await waiter.query('select pg_backend_pid() as pid')).rows[0].pid;
      const answer = waiter.query('select parley_append($1::jsonb) as r', [waiting]);
      // The waiter has looked at its ids and now waits for the head row.
      for (;;) {
        const { rows } = await holder.query("select wait_event_type from pg_stat_activity where pid = $1", [pid]);
        if (rows[0]?.wait_event_type === 'Lock') break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await holder.query('select parley_append($1::jsonb)', [stored]);
      await holder.query('commit');
      return (await answer).rows[0].r;
    } finally {
      await holder.end();
      await waiter.end();
    }
  }

  it('answers the id stored meanwhile with the same content as stored, and appends only the rest', async () => {
    const shared = { id: randomUUID(), data: { n: 1 } };
    const fresh = { id: randomUUID(), data: { n: 2 } };
    const [result] = await whileLocked(call('s1', [shared]), call('s1', [shared, fresh]));
    expect(result).toMatchObject({ status: 'appended', appended: 1, version: 2, stored: [{ id: shared.id, version: 1 }] });
    const { rows } = await sql<{ id: string; stream_version: number }>`select id, stream_version from events where stream_id = 's1' order by stream_version`.execute(database.connection.db);
    expect(rows).toEqual([{ id: shared.id, stream_version: 1 }, { id: fresh.id, stream_version: 2 }]);
  });

  it('answers an id stored meanwhile with other content as a conflict, and writes nothing of that call', async () => {
    const id = randomUUID();
    const [result] = await whileLocked(call('s2', [{ id, data: { n: 1 } }]), call('s3', [{ id, data: { n: 9 } }, { id: randomUUID(), data: {} }]));
    expect(result).toEqual({ status: 'id_conflict', id });
    const { rows } = await sql<{ n: string }>`select count(*) as n from events where stream_id = 's3'`.execute(database.connection.db);
    expect(Number(rows[0]!.n)).toBe(0);
  });
});
