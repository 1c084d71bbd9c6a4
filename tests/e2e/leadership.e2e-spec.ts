import { call, startTestApp, type TestApp } from '../support/app';
import { setup, stated } from '../support/builders';
import { startChild } from '../support/child-server';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../support/receiver';

const FAST = { PARLEY_LEADER_RETRY_MS: '200', PARLEY_LEADER_HEARTBEAT_MS: '200' };
const leads = async (url: string) => (await call(url, 'GET', '/health')).body.leader as boolean;

/** One leader for background work among instances on one database (issue 14, part 1). */
describe('leadership', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('has exactly one leader; followers serve reads it projects; another takes over when it stops', async () => {
    const first = await startTestApp(FAST, database);
    const second = await startTestApp(FAST, database);
    let stopped: TestApp | undefined;
    try {
      expect([await leads(first.url), await leads(second.url)]).toEqual([true, false]);
      expect((await call(second.url, 'GET', '/metrics')).body).toMatch(/^parley_leader 0$/m);
      expect((await call(first.url, 'GET', '/metrics')).body).toMatch(/^parley_leader 1$/m);
      // Written to the follower, projected by the leader, read back on the follower.
      await call(second.url, 'POST', '/negotiations/led/events', { json: { events: [...setup(), stated('us', 'crimea', 30, '2025-04-20')] } });
      expect((await call(second.url, 'GET', '/negotiations/led/stances')).body.stances).toEqual([expect.objectContaining({ value: 30 })]);

      await first.close();
      stopped = first;
      await eventually(async () => leads(second.url), 'the follower to take the lead', 5_000);
      await call(second.url, 'POST', '/negotiations/led/events', { json: { events: [stated('us', 'crimea', 60, '2025-04-21')] } });
      expect((await call(second.url, 'GET', '/negotiations/led/stances')).body.stances).toEqual([expect.objectContaining({ value: 60 })]);
    } finally {
      if (!stopped) await first.close();
      await second.close();
    }
  });

  it('takes over within seconds after kill -9 of the leader, with nothing projected twice', async () => {
    const leader = await startChild({ DATABASE_URL: database.url, ...FAST });
    const follower = await startTestApp(FAST, database);
    try {
      await eventually(async () => leads(leader.url), 'the child to lead');
      expect(await leads(follower.url)).toBe(false);
      await call(follower.url, 'POST', '/negotiations/killed/events', { json: { events: [...setup(), stated('us', 'crimea', 10, '2025-04-20')] } });
      leader.child.kill('SIGKILL');
      await leader.exited;
      // The lock goes with the killed session; the follower's next try (every 200 ms here) takes it.
      await eventually(async () => leads(follower.url), 'the follower to take the lead', 5_000);
      await call(follower.url, 'POST', '/negotiations/killed/events', { json: { events: [stated('us', 'crimea', 20, '2025-04-21')] } });
      expect((await call(follower.url, 'GET', '/negotiations/killed/stances')).body.stances).toEqual([expect.objectContaining({ value: 20 })]);
      // Each event was projected once: one fact per statement, none twice.
      const rows = await database.connection.db.selectFrom('stance_facts').select(['event_id']).where('negotiation_id', '=', 'killed').execute();
      expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
    } finally {
      await follower.close();
    }
  });
});
