import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { call, startTestApp, type TestApp } from '../../support/app';
import { setup, stated } from '../../support/builders';
import { hostileBehaviour } from './hostile.behaviour';

describe('hostile input and poisoned history on PostgreSQL', () => {
  hostileBehaviour(() => startTestApp());
});

describe('faults only PostgreSQL can stage', () => {
  let app: TestApp;
  const post = (nid: string, events: unknown[]) => call(app.url, 'POST', `/negotiations/${nid}/events`, { json: { events } });

  beforeAll(async () => {
    app = await startTestApp({ PARLEY_RATE_LIMIT: '0' });
    for (const nid of ['quiet', 'busy']) expect((await post(nid, setup())).status).toBe(201);
  });
  afterAll(() => app.close());

  it('answers "outcome unknown, retry with the same ids" when the connection dies at COMMIT', async () => {
    const { db } = app.database.connection;
    // A deferred trigger runs during COMMIT: it kills its own backend there, as a network cut would.
    await sql`create function die_at_commit() returns trigger language plpgsql as $$
      begin if new.data->>'summary' = 'die at commit' then perform pg_terminate_backend(pg_backend_pid()); end if; return null; end $$`.execute(db);
    await sql`create constraint trigger die_at_commit after insert on events deferrable initially deferred
      for each row execute function die_at_commit()`.execute(db);
    const event = { ...stated('us', 'crimea', 70, '2025-04-20', { summary: 'die at commit' }), id: randomUUID() };
    const answer = await post('quiet', [event]);
    expect(answer.status).toBe(503);
    expect(answer.body.error).toBe('outcome_unknown');
    expect(answer.body.message).toMatch(/may or may not be stored.*same event ids/);
    expect(answer.headers.get('retry-after')).not.toBeNull();

    await sql`drop trigger die_at_commit on events`.execute(db);
    await sql`drop function die_at_commit()`.execute(db);
    // The client retries as told: the same ids, after Retry-After, while the answer is a 503 (the
    // pool may still be replacing the connection that died, on a loaded machine).
    let retry = await post('quiet', [event]);
    for (let attempt = 0; retry.status === 503 && attempt < 10; attempt++) {
      expect(retry.headers.get('retry-after')).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, Number(retry.headers.get('retry-after')) * 1000));
      retry = await post('quiet', [event]);
    }
    expect([200, 201]).toContain(retry.status);
    expect((await post('quiet', [event])).status).toBe(200);
  });

  it('answers a read of one negotiation while another one waits to be projected, and reads up to Parley-Min-Position', async () => {
    const { db } = app.database.connection;
    // Everything written so far is projected first (a read waits for it): the test starts even.
    expect((await call(app.url, 'GET', '/negotiations/quiet/stances')).status).toBe(200);
    expect((await call(app.url, 'GET', '/negotiations/busy/stances')).status).toBe(200);
    // Hold the projector's lock: nothing is projected until we let go.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(727275)`.execute(trx);
      locked();
      await held;
    });
    await isLocked;
    let mine: Promise<{ status: number; body: any }>;
    let written: number;
    try {
      const write = await post('busy', [stated('us', 'crimea', 10, '2025-04-20')]);
      expect(write.status).toBe(201);
      written = Number(write.headers.get('parley-position'));
      expect(written).toBe(write.body.events[0].globalPosition);
      const quiet = await call(app.url, 'GET', '/negotiations/quiet/stances');
      expect(quiet.status).toBe(200);
      // A read that asks only for positions before the write is answered now, without it...
      const earlier = await fetch(`${app.url}/negotiations/busy/stances`, { headers: { 'parley-min-position': String(written - 1) } });
      expect(earlier.status).toBe(200);
      expect((await earlier.json()).stances).toEqual([]);
      // ...one that asks for the write waits for it.
      mine = fetch(`${app.url}/negotiations/busy/stances?minPosition=${written}`).then(async (r) => ({ status: r.status, body: await r.json() }));
    } finally {
      release();
      await holder;
    }
    expect((await mine).body.stances).toEqual([expect.objectContaining({ party: 'us', value: 10 })]);
    // And the busy one is answered with its write once the projector may go on.
    const busy = await call(app.url, 'GET', '/negotiations/busy/stances');
    expect(busy.body.stances).toEqual([expect.objectContaining({ party: 'us', value: 10 })]);
    // A position no write was answered with on this log (a failover rewound it, or it was made
    // up) is refused at once, naming the head, rather than waited for and served with other events.
    const beyond = await fetch(`${app.url}/negotiations/busy/stances`, { headers: { 'parley-min-position': String(written + 1000) } });
    expect(beyond.status).toBe(409);
    expect(await beyond.json()).toMatchObject({ error: 'log_rewound', position: written + 1000, head: written });
    const bad = await fetch(`${app.url}/negotiations/busy/stances`, { headers: { 'parley-min-position': 'soon' } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).issues[0].path).toEqual(['Parley-Min-Position']);
  });

  it('takes "now" from the database, so a write is seen at now even with this process a minute behind', async () => {
    jest.useFakeTimers({ now: Date.now() - 60_000, advanceTimers: true, doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
    try {
      const written = await post('quiet', [stated('ukraine', 'sanctions', 40, '2025-04-20')]);
      expect(written.status).toBe(201);
      const { body } = await call(app.url, 'GET', '/negotiations/quiet/stances');
      expect(body.stances).toEqual(expect.arrayContaining([expect.objectContaining({ party: 'ukraine', issue: 'sanctions', value: 40 })]));
      expect(Date.parse(body.knownAt)).toBeGreaterThan(Date.now() + 30_000);
    } finally {
      jest.useRealTimers();
    }
  });
});
