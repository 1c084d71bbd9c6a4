import { randomUUID } from 'node:crypto';
import type { HttpApplication } from '../../../src/http/platform';
import { sql } from 'kysely';
import type { DatabaseConnection } from '../../../src/database/connection';
import { DATABASE } from '../../../src/database/database.module';
import { call } from '../../support/app';
import { issue, setup, stated } from '../../support/builders';
import { openSse } from '../../support/sse';

type App = { url: string; app: HttpApplication; close(): Promise<void> };

/** Hostile input and poisoned history (issue 11): each case answered or survived, never a wedge. */
export function hostileBehaviour(start: () => Promise<App>) {
  let app: App;
  let db: DatabaseConnection;
  const post = (nid: string, events: unknown[]) => call(app.url, 'POST', `/negotiations/${nid}/events`, { json: { events } });
  const version = async (nid: string) => (await call(app.url, 'GET', `/negotiations/${nid}/events?limit=1000`)).body.events?.length ?? 0;

  beforeAll(async () => {
    app = await start();
    db = app.app.get<DatabaseConnection>(DATABASE);
    expect((await post('hostile', setup())).status).toBe(201);
    expect((await post('hostile', [stated('us', 'crimea', 100, '2025-04-17')])).status).toBe(201);
  });
  afterAll(() => app.close());

  describe('instants', () => {
    const target = randomUUID();
    beforeAll(async () => {
      expect((await post('hostile', [{ ...stated('ukraine', 'crimea', 0, '2025-04-23'), id: target }])).status).toBe(201);
    });

    it.each([
      ['year 0000 (stored as 1 BC)', { occurredAt: '0000-01-01T00:00:00Z' }, ['events', 0, 'occurredAt']],
      ['year 0001 that is year 0000 in UTC', { occurredAt: '0001-01-01T00:30:00+01:00' }, ['events', 0, 'occurredAt']],
      ['year 9999 that is year 10000 in UTC', { occurredAt: '9999-12-31T23:30:00-01:00' }, ['events', 0, 'occurredAt']],
      ['a source published in year 0999', { source: { publishedAt: '0999-12-31' } }, ['events', 0, 'source', 'publishedAt']],
    ])('refuses %s with a 400 naming the field, and writes nothing', async (_, override, path) => {
      const before = await version('hostile');
      const answer = await post('hostile', [{ ...stated('us', 'crimea', 50, '2025-04-20'), ...override }]);
      expect(answer.status).toBe(400);
      expect(answer.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringContaining('1000') })]));
      expect(await version('hostile')).toBe(before);
    });

    it('refuses a correction dated year 0000 (its data.occurredAt)', async () => {
      const answer = await post('hostile', [
        { type: 'EventCorrected', occurredAt: '2025-04-24T00:00:00Z', data: { target, occurredAt: '0000-06-01T00:00:00Z', data: { party: 'ukraine', issue: 'crimea', value: 0 } } },
      ]);
      expect(answer.status).toBe(400);
      expect(answer.body.issues[0].path).toEqual(['events', 0, 'data', 'occurredAt']);
    });

    it('refuses as-of questions outside the range, naming the parameter', async () => {
      const answer = await call(app.url, 'GET', '/negotiations/hostile/stances?at=0000-01-01');
      expect(answer.status).toBe(400);
      expect(answer.body.issues[0].path).toEqual(['at']);
    });

    it('accepts the first and last instants of the range', async () => {
      expect((await post('hostile', [stated('russia', 'sanctions', 0, '1000-01-01T00:00:00Z')])).status).toBe(201);
      const at = await call(app.url, 'GET', '/negotiations/hostile/stances?at=9999-12-31T23:59:59.999Z');
      expect(at.status).toBe(200);
    });
  });

  describe('strings and numbers jsonb or arithmetic cannot take', () => {
    it.each([
      ['a lone surrogate in a summary', { data: { party: 'us', issue: 'crimea', value: 1, summary: 'broken \ud800 text' } }, ['events', 0, 'data', 'summary']],
      ['a lone surrogate in a source title', { source: { title: '\udc00 tail' } }, ['events', 0, 'source', 'title']],
    ])('refuses %s with a 400 naming it', async (_, override, path) => {
      const before = await version('hostile');
      const answer = await post('hostile', [{ ...stated('us', 'crimea', 1, '2025-04-20'), ...override }]);
      expect(answer.status).toBe(400);
      expect(answer.body.issues[0]).toEqual(expect.objectContaining({ path, message: expect.stringContaining('surrogate') }));
      expect(await version('hostile')).toBe(before);
    });

    it('refuses a lone surrogate in an imported line, with its line number', async () => {
      const line = JSON.stringify(stated('us', 'crimea', 2, '2025-04-20', { summary: 'x\ud83d' }));
      const answer = await call(app.url, 'POST', '/negotiations/hostile/events:import', { body: line, contentType: 'application/x-ndjson' });
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toContain('surrogate');
    });

    it('refuses correction data nested 10,000 deep with a 400, not a stack overflow', async () => {
      // Written as text: JSON.stringify itself cannot go 10,000 deep.
      const data = `${'{"deeper":'.repeat(10_000)}{"end":true}${'}'.repeat(10_000)}`;
      const body = `{"events":[{"type":"EventCorrected","occurredAt":"2025-04-24T00:00:00Z","data":{"target":"${randomUUID()}","data":${data}}}]}`;
      const answer = await call(app.url, 'POST', '/negotiations/hostile/events', { body, contentType: 'application/json' });
      expect(answer.status).toBe(400);
      expect(answer.body.issues[0].path.slice(0, 4)).toEqual(['events', 0, 'data', 'data']);
      expect(answer.body.issues[0].message).toMatch(/Nested deeper than 64/);
    });

    it('refuses scales and values of ±1.7e308, whose differences are not finite', async () => {
      const answer = await post('hostile', [issue('huge', { min: -1.7e308, max: 1.7e308 })]);
      expect(answer.status).toBe(400);
      expect(answer.body.issues.map((i: { path: unknown[] }) => i.path)).toEqual(
        expect.arrayContaining([['events', 0, 'data', 'scale', 'min'], ['events', 0, 'data', 'scale', 'max']]),
      );
    });

    it('computes gaps exactly at the largest scale it accepts', async () => {
      expect((await post('wide', [...setup(), issue('wide', { min: -1e15, max: 1e15 })])).status).toBe(201);
      expect((await post('wide', [stated('us', 'wide', 1e15, '2025-04-20'), stated('ukraine', 'wide', -1e15, '2025-04-20')])).status).toBe(201);
      const { body } = await call(app.url, 'GET', '/negotiations/wide/gaps?between=us,ukraine&at=2025-04-21');
      expect(body.pairs[0]).toEqual(expect.objectContaining({ overall: 100, coverage: 1 / 3 }));
    });
  });

  describe('history the projection cannot use', () => {
    // Rows written before these checks existed, or by hand: inserted as SQL, as they would be.
    async function insertRaw(rows: { type: string; data: unknown; occurredAt: string }[]): Promise<void> {
      await db.db.transaction().execute(async (trx) => {
        const { position } = await trx.selectFrom('event_store_head').select('position').forUpdate().executeTakeFirstOrThrow();
        const version = await trx.selectFrom('events').select((eb) => eb.fn.max('stream_version').as('v')).where('stream_id', '=', 'hostile').executeTakeFirstOrThrow();
        let n = 0;
        for (const row of rows) {
          n++;
          await sql`insert into events (global_position, id, stream_id, stream_version, type, data, metadata, occurred_at, recorded_at)
            values (${Number(position) + n}, ${randomUUID()}, 'hostile', ${(version.v ?? 0) + n}, ${row.type}, ${JSON.stringify(row.data)}::jsonb, '{}'::jsonb,
                    ${row.occurredAt}::timestamptz, date_trunc('milliseconds', clock_timestamp()))`.execute(trx);
        }
        await trx.updateTable('event_store_head').set({ position: Number(position) + n }).execute();
        await sql`select pg_notify('parley_events', ${String(Number(position) + n)})`.execute(trx);
      });
    }

    it('keeps reads, the event pages, the feed and export answering, and reports what it passed over', async () => {
      const feed = await openSse(`${app.url}/feed?negotiation=hostile&after=0`);
      await insertRaw([
        { type: 'PositionStated', data: { party: 'russia', issue: 'crimea', value: 100 }, occurredAt: '0001-01-01 00:00:00+00 BC' },
        { type: 'PositionStated', data: { party: 42, issue: null, value: 'a lot' }, occurredAt: '2025-04-21T00:00:00Z' },
      ]);
      const later = randomUUID();
      expect((await post('hostile', [{ ...stated('russia', 'crimea', 90, '2025-04-25'), id: later }])).status).toBe(201);

      const stances = await call(app.url, 'GET', '/negotiations/hostile/stances?at=2025-04-26');
      expect(stances.status).toBe(200);
      expect(stances.body.stances).toEqual(expect.arrayContaining([expect.objectContaining({ party: 'russia', issue: 'crimea', value: 90, eventId: later })]));

      const page = await call(app.url, 'GET', '/negotiations/hostile/events?limit=1000');
      expect(page.status).toBe(200);
      const events = page.body.events as { occurredAt: string; id: string; globalPosition: number }[];
      expect(events.map((e) => e.occurredAt)).toContain('0000-01-01T00:00:00.000Z');

      await feed.waitFor(events.length);
      feed.close();
      expect(feed.messages.filter((m) => m.id).map((m) => Number(m.id))).toEqual(events.map((e) => e.globalPosition));

      const health = await call(app.url, 'GET', '/health');
      expect(health.status).toBe(200);
      expect(health.body.info.projections).toEqual(expect.objectContaining({ status: 'up', skipped: 1 }));

      const exported = await call(app.url, 'GET', '/admin/export');
      const lines = (exported.body as string).trim().split('\n').map((l) => JSON.parse(l));
      const head = (await call(app.url, 'GET', '/events?limit=1000')).body.events.length;
      expect(lines).toHaveLength(head + 1);
      expect(lines[lines.length - 1]).toEqual({ trailer: { events: head, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    });
  });

  describe('rebuild', () => {
    it('answers 409 while another rebuild runs, and rebuilds once it is done', async () => {
      const lock = await db.tryLock('parley.rebuild');
      expect(lock).toBeDefined();
      try {
        const answer = await call(app.url, 'POST', '/admin/rebuild');
        expect(answer.status).toBe(409);
        expect(answer.body.error).toBe('rebuild_running');
      } finally {
        await lock!.release();
      }
      expect((await call(app.url, 'POST', '/admin/rebuild')).status).toBe(200);
    });
  });

  describe('restore', () => {
    it('refuses an export cut short or changed, and writes nothing', async () => {
      const exported = (await call(app.url, 'GET', '/admin/export')).body as string;
      const lines = exported.trim().split('\n');
      const cut = lines.slice(0, 5).join('\n');
      const changed = [lines[0]!.replace('"Test talks"', '"Other talks"'), ...lines.slice(1)].join('\n');
      // An empty database to restore into is not needed: the trailer is checked before the head.
      for (const [body, reason] of [
        [cut, 'does not end with an export trailer'],
        [changed, 'changed or damaged'],
      ] as const) {
        const answer = await call(app.url, 'POST', '/admin/restore', { body, contentType: 'application/x-ndjson' });
        expect(answer.status).toBe(409);
        expect(answer.body.message).toContain(reason);
      }
    });
  });
}
