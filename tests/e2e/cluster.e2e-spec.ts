import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { connectPostgres } from '../../src/database/connection';
import { migrateToLatest } from '../../src/database/migrate';
import { call } from '../support/app';
import { wholeLog } from '../support/whole-log';
import { setup, stated } from '../support/builders';
import { startChild, type Running } from '../support/child-server';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually, startReceiver } from '../support/receiver';
import { standbyOf, throwawayCluster } from '../support/throwaway-cluster';

const FAST = { PARLEY_LEADER_RETRY_MS: '200', PARLEY_LEADER_HEARTBEAT_MS: '200', LOG_LEVEL: 'info' };
const WRITES_PER_WRITER = 40;

describe('three Parley processes on one database', () => {
  let database: TestDatabase;
  let servers: Running[] = [];
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startReceiver();
    servers = await Promise.all([0, 1, 2].map(() => startChild({ DATABASE_URL: database.url, ...FAST, PARLEY_WEBHOOK_ALLOW: '127.0.0.1' })));
  });
  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => s.exited));
    await receiver.close();
    await database.drop();
  });

  it('with writers on all three: one leader, a gap-free log, every write projected once, one firing per crossing, equal to a rebuild', async () => {
    const [a] = servers;
    await call(a!.url, 'POST', '/negotiations/shared/events', { json: { events: [...setup(), stated('ukraine', 'crimea', 0, '2025-04-01')] } });
    const rule = await call(a!.url, 'POST', '/negotiations/shared/alert-rules', {
      json: { name: 'apart', rule: { kind: 'gap_threshold', a: 'us', b: 'ukraine', issue: 'crimea', threshold: 50, direction: 'both' }, webhook: { url: receiver.url } },
    });
    expect(rule.status).toBe(201);

    // A tailing reader pages the log while the writers run.
    let tailing = true;
    const seen: number[] = [];
    const tail = (async () => {
      let after = 0;
      while (tailing) {
        const page = (await call(servers[2]!.url, 'GET', `/events?after=${after}&limit=500`)).body;
        for (const e of page.events) seen.push(e.globalPosition);
        if (page.events.length > 0) after = page.events[page.events.length - 1].globalPosition;
        else await new Promise((r) => setTimeout(r, 5));
      }
      return after;
    })();
    const accepted: string[] = [];
    await Promise.all(
      servers.map(async (server, w) => {
        for (let i = 0; i < WRITES_PER_WRITER; i++) {
          const id = randomUUID();
          const value = (i + w) % 2 === 0 ? 10 : 90;
          const answer = await call(server.url, 'POST', '/negotiations/shared/events', { json: { events: [{ id, type: 'PositionStated', occurredAt: '2025-04-02T00:00:00Z', data: { party: 'us', issue: 'crimea', value } }] } });
          expect(answer.status).toBe(201);
          accepted.push(id);
        }
      }),
    );
    tailing = false;
    await tail;

    const leaders = await Promise.all(servers.map(async (s) => (await call(s.url, 'GET', '/health')).body.leader));
    expect(leaders.filter(Boolean)).toHaveLength(1);

    const log = await wholeLog(servers[1]!.url);
    expect(log.map((e) => e.globalPosition)).toEqual(log.map((_, i) => i + 1));
    const ids = new Set(log.map((e) => e.id));
    for (const id of accepted) expect(ids.has(id)).toBe(true);
    // The tailing reader saw a prefix of the final order, without gaps or repeats.
    expect(seen).toEqual(log.map((e) => e.globalPosition).slice(0, seen.length));

    // Projected once each: one stance fact per statement, and the stance is the last one.
    await eventually(async () => {
      const { rows } = await sql<{ n: string }>`select count(*) as n from stance_facts where negotiation_id = 'shared' and party = 'us'`.execute(database.connection.db);
      return Number(rows[0]!.n) === 3 * WRITES_PER_WRITER;
    }, 'every write projected', 30_000);

    // One firing per crossing, in log order, with appends of one millisecond judged together, and
    // one when the gap first appears (the US's first statement: issue 30, first positions alert).
    const statements = log.filter((e) => e.negotiation === 'shared' && e.type === 'PositionStated' && e.data.value !== 0);
    const groups: number[] = [];
    statements.forEach((e, i) => {
      if (i > 0 && statements[i - 1]!.recordedAt === e.recordedAt) groups[groups.length - 1] = e.data.value!;
      else groups.push(e.data.value!);
    });
    const crossings = groups.filter((v, i) => i > 0 && (groups[i - 1]! >= 50) !== (v >= 50)).length + 1;
    await eventually(async () => {
      const fired = (await call(servers[0]!.url, 'GET', '/negotiations/shared/alerts')).body.alerts.filter((x: { type: string }) => x.type === 'AlertFired');
      return fired.length === crossings;
    }, `${crossings} firings`, 30_000);
    // Delivered by whichever instance claimed each: once per firing, however many deliver.
    await eventually(async () => receiver.calls.length >= crossings, `${crossings} webhook deliveries`, 30_000);
    const keys = receiver.calls.map((c) => c.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(crossings);
    expect(keys).toHaveLength(crossings);

    // Projections equal a fresh rebuild.
    const before = (await call(servers[1]!.url, 'GET', '/negotiations/shared/gaps?at=2025-04-03')).body;
    expect((await call(servers[0]!.url, 'POST', '/admin/rebuild')).status).toBe(200);
    const after = (await call(servers[1]!.url, 'GET', `/negotiations/shared/gaps?at=2025-04-03&knownAt=${before.knownAt}`)).body;
    expect(after).toEqual(before);
  });
});

describe('kill -9 of the leader while writers run', () => {
  it('hands the lead over, and every accepted write is projected exactly once', async () => {
    const database = await createTestDatabase();
    const leader = await startChild({ DATABASE_URL: database.url, ...FAST, PARLEY_PROJECTOR_BATCH: '5' });
    const follower = await startChild({ DATABASE_URL: database.url, ...FAST, PARLEY_PROJECTOR_BATCH: '5' });
    try {
      await eventually(async () => (await call(leader.url, 'GET', '/health')).body.leader === true, 'the first to lead');
      await call(follower.url, 'POST', '/negotiations/killed/events', { json: { events: setup() } });
      let writing = true;
      let accepted = 0;
      const writer = (async () => {
        for (let i = 0; writing; i++) {
          const answer = await call(follower.url, 'POST', '/negotiations/killed/events', { json: { events: [stated('us', 'crimea', i % 101, '2025-04-20')] } });
          if (answer.status === 201) accepted++;
        }
      })();
      await eventually(async () => accepted >= 30, 'writes before the kill');
      leader.child.kill('SIGKILL');
      await leader.exited;
      await eventually(async () => (await call(follower.url, 'GET', '/health')).body.leader === true, 'the follower to lead', 10_000);
      await eventually(async () => accepted >= 60, 'writes after the kill');
      writing = false;
      await writer;
      // Every statement projected once (a fact per event, none twice), then equal to a rebuild.
      await eventually(async () => {
        const { rows } = await sql<{ facts: string; distinct: string }>`
          select count(*) as facts, count(distinct event_id) as distinct from stance_facts where negotiation_id = 'killed'`.execute(database.connection.db);
        return Number(rows[0]!.facts) === accepted && Number(rows[0]!.distinct) === accepted;
      }, 'every write projected once', 30_000);
      const before = (await call(follower.url, 'GET', '/negotiations/killed/stances')).body;
      expect((await call(follower.url, 'POST', '/admin/rebuild')).status).toBe(200);
      expect((await call(follower.url, 'GET', `/negotiations/killed/stances?at=${before.at}&knownAt=${before.knownAt}`)).body).toEqual(before);
    } finally {
      follower.child.kill('SIGTERM');
      await follower.exited;
      await database.drop();
    }
  });
});

describe('failover to a promoted standby', () => {
  it('carries on from the log once DATABASE_URL points at the promoted standby', async () => {
    const primary = await throwawayCluster();
    const migrated = connectPostgres(primary.url, 2);
    await migrateToLatest(migrated.db);
    await migrated.close();
    const standby = await standbyOf(primary);
    let server = await startChild({ DATABASE_URL: primary.url, ...FAST });
    try {
      const first = await call(server.url, 'POST', '/negotiations/kept/events', { json: { events: [...setup(), stated('us', 'crimea', 30, '2025-04-20')] } });
      expect(first.status).toBe(201);
      // Wait for the standby to have it, then lose the primary and promote the standby.
      const replica = connectPostgres(standby.url, 1);
      await eventually(async () => Number((await replica.db.selectFrom('event_store_head').select('position').executeTakeFirstOrThrow()).position) === 7, 'the standby to catch up');
      await replica.close();
      server.child.kill('SIGTERM');
      await server.exited;
      primary.stop();
      standby.promote();
      server = await startChild({ DATABASE_URL: standby.url, ...FAST });
      expect((await call(server.url, 'GET', '/negotiations/kept/stances')).body.stances).toEqual([expect.objectContaining({ party: 'us', value: 30 })]);
      const next = await call(server.url, 'POST', '/negotiations/kept/events', { json: { events: [stated('us', 'crimea', 40, '2025-04-21')] } });
      expect(next.status).toBe(201);
      expect(next.body.events[0].globalPosition).toBe(8);
      expect((await call(server.url, 'GET', '/negotiations/kept/stances')).body.stances).toEqual([expect.objectContaining({ value: 40 })]);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      standby.destroy();
      primary.destroy();
    }
  });
});
