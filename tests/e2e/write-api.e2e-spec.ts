import { randomUUID } from 'node:crypto';
import { call, startTestApp, type TestApp } from '../support/app';
import { issue, party, setup, stated } from '../support/builders';

describe('POST /negotiations/{nid}/events', () => {
  let app: TestApp;
  const post = (nid: string, json: unknown) => call(app.url, 'POST', `/negotiations/${nid}/events`, { json });
  const eventsOf = async (nid: string) => (await call(app.url, 'GET', `/negotiations/${nid}/events?limit=1000`)).body.events ?? [];

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('opens a negotiation, adds parties and states positions in one atomic batch', async () => {
    const answer = await post('batch', { events: [...setup(), stated('us', 'crimea', 100, '2025-04-17')], expectedVersion: 'no_stream' });
    expect(answer.status).toBe(201);
    expect(answer.body.streamVersion).toBe(7);
    expect(answer.body.events).toHaveLength(7);
    expect(answer.body.events.map((e: { streamVersion: number }) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const stored = await eventsOf('batch');
    expect(stored.map((e: { type: string }) => e.type)).toEqual([
      'NegotiationOpened', 'PartyAdded', 'PartyAdded', 'PartyAdded', 'IssueDefined', 'IssueDefined', 'PositionStated',
    ]);
    expect(stored[6]).toMatchObject({ occurredAt: '2025-04-17T12:00:00.000Z', data: { party: 'us', value: 100 } });
  });

  it('answers a retried request with the original positions (200), whatever version it expects', async () => {
    const events = [...setup(), stated('us', 'crimea', 10, '2025-04-17')].map((e) => ({ ...e, id: randomUUID() }));
    const first = await post('retry', { events, expectedVersion: 'no_stream' });
    expect(first.status).toBe(201);
    const again = await post('retry', { events, expectedVersion: 'no_stream' });
    expect(again.status).toBe(200);
    expect(again.body.events).toEqual(first.body.events);
    expect(await eventsOf('retry')).toHaveLength(7);
  });

  it('answers 409 id_conflict for a known id with other content, and writes nothing', async () => {
    const id = randomUUID();
    await post('idc', { events: [...setup(), { ...stated('us', 'crimea', 10, '2025-04-17'), id }] });
    const answer = await post('idc', { events: [{ ...stated('us', 'crimea', 11, '2025-04-17'), id }] });
    expect(answer.status).toBe(409);
    expect(answer.body.error).toBe('id_conflict');
    expect(await eventsOf('idc')).toHaveLength(7);
  });

  it('answers 409 version_conflict with expected and actual, before checking rules', async () => {
    await post('ver', { events: setup() });
    const stale = await post('ver', { events: [stated('nobody', 'crimea', 10, '2025-04-17')], expectedVersion: 2 });
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual({ error: 'version_conflict', expected: 2, actual: 6, requestId: expect.any(String) });
  });

  it('lets exactly one of two writers expecting the same version win', async () => {
    await post('race', { events: setup() });
    const answers = await Promise.all(
      [1, 2, 3, 4].map((v) => post('race', { events: [stated('us', 'crimea', v, '2025-04-17')], expectedVersion: 6 })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await eventsOf('race')).toHaveLength(7);
  });

  it('never answers 409 to concurrent writers that expect no version', async () => {
    await post('crowd', { events: setup() });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => post('crowd', { events: [stated('us', 'crimea', i, '2025-04-17')] })),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    expect(await eventsOf('crowd')).toHaveLength(36);
  });

  it('applies rules against the state after earlier events of the same batch', async () => {
    const answer = await post('order', { events: [...setup(), party('eu'), stated('eu', 'crimea', 3, '2025-04-17')] });
    expect(answer.status).toBe(201);
    const late = await post('order2', { events: [...setup(), stated('eu', 'crimea', 3, '2025-04-17'), party('eu')] });
    expect(late.status).toBe(422);
    expect(late.body.issues[0].path).toEqual(['events', 6, 'data', 'party']);
  });

  it('stores SQL-like and unicode strings verbatim', async () => {
    const strings = ["Robert'); DROP TABLE events;--", 'Зеленський 🇺🇦 «мир» \u202e עברית', '$1 $$ \\x00 %s {{x}}'];
    const events = strings.map((summary, i) => stated('us', 'crimea', i, '2025-04-17', { summary }));
    expect((await post('verbatim', { events: [...setup(), ...events] })).status).toBe(201);
    const stored = await eventsOf('verbatim');
    expect(stored.slice(6).map((e: { data: { summary: string } }) => e.data.summary)).toEqual(strings);
  });

  it('keeps the source of an event and shows it back', async () => {
    const source = { title: 'Report', url: 'https://example.org/a', publisher: 'Reuters', publishedAt: '2025-04-25' };
    await post('sourced', { events: [...setup(), { ...stated('us', 'crimea', 1, '2025-04-17'), source }] });
    const stored = await eventsOf('sourced');
    expect(stored[6].source).toEqual(source);
  });

  it('documents the write route in OpenAPI from the same zod schema', async () => {
    const doc = await call(app.url, 'GET', '/docs/openapi.json');
    const body = doc.body.paths['/negotiations/{nid}/events'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['events']);
    const types = body.properties.events.items.oneOf.map((o: { properties: { type: { enum: string[] } } }) => o.properties.type.enum[0]);
    expect(types).toContain('ProposalTabled');
    expect(types).toHaveLength(12);
    expect(types).toContain('NewsItemDismissed');
    expect(types).toContain('OutcomeRecorded');
  });

  describe('bad input: a clear error naming the field, and nothing written', () => {
    const nid = 'bad-input';
    let before: number;

    beforeAll(async () => {
      await post(nid, { events: [...setup(), issue('tariff', { min: -5, max: 5 })] });
      before = (await eventsOf(nid)).length;
    });
    afterAll(async () => {
      expect(await eventsOf(nid)).toHaveLength(before);
      const head = await call(app.url, 'GET', '/events?limit=1000');
      expect(head.body.events.filter((e: { negotiation: string }) => e.negotiation === nid)).toHaveLength(before);
    });

    const ok = stated('us', 'crimea', 50, '2025-04-17');
    const cases: [string, () => Promise<{ status: number; body: any }>, number, unknown[] | undefined][] = [
      ['malformed JSON', () => call(app.url, 'POST', `/negotiations/${nid}/events`, { body: '{"events": [', contentType: 'application/json' }), 400, []],
      ['a wrong content type', () => call(app.url, 'POST', `/negotiations/${nid}/events`, { body: JSON.stringify({ events: [ok] }), contentType: 'text/plain' }), 415, undefined],
      ['no events', () => post(nid, {}), 400, ['events']],
      ['a missing field', () => post(nid, { events: [{ ...ok, data: { party: 'us', issue: 'crimea' } }] }), 400, ['events', 0, 'data', 'value']],
      ['an unknown type', () => post(nid, { events: [{ ...ok, type: 'PositionGuessed' }] }), 400, ['events', 0, 'type']],
      ['an unknown party', () => post(nid, { events: [stated('eu', 'crimea', 1, '2025-04-17')] }), 422, ['events', 0, 'data', 'party']],
      ['an unknown issue', () => post(nid, { events: [stated('us', 'nato', 1, '2025-04-17')] }), 422, ['events', 0, 'data', 'issue']],
      ['a value off the scale', () => post(nid, { events: [stated('us', 'tariff', 6, '2025-04-17')] }), 422, ['events', 0, 'data', 'value']],
      ['salience 1.5', () => post(nid, { events: [stated('us', 'crimea', 1, '2025-04-17', { salience: 1.5 })] }), 400, ['events', 0, 'data', 'salience']],
      ['the date 2025-02-30', () => post(nid, { events: [{ ...ok, occurredAt: '2025-02-30T10:00:00Z' }] }), 400, ['events', 0, 'occurredAt']],
      ['a date without offset', () => post(nid, { events: [{ ...ok, occurredAt: '2025-04-17T10:00:00' }] }), 400, ['events', 0, 'occurredAt']],
      ['a date in the future', () => post(nid, { events: [{ ...ok, occurredAt: '2099-01-01T00:00:00Z' }] }), 422, ['events', 0, 'occurredAt']],
      ['an id that is not a UUID', () => post(nid, { events: [{ ...ok, id: 'event-1' }] }), 400, ['events', 0, 'id']],
      ['an invalid expectedVersion', () => post(nid, { events: [ok], expectedVersion: -1 }), 400, ['expectedVersion']],
      ['a NUL character', () => post(nid, { events: [stated('us', 'crimea', 1, '2025-04-17', { summary: 'a\u0000b' })] }), 400, ['events', 0, 'data', 'summary']],
      ['an unknown retraction target', () => post(nid, { events: [{ type: 'EventRetracted', occurredAt: '2025-04-18T00:00:00Z', data: { target: randomUUID(), reason: 'x' } }] }), 422, ['events', 0, 'data', 'target']],
      ['an invalid negotiation id', () => post('Not A Slug', { events: [ok] }), 400, ['nid']],
      ['a bad second event in a batch', () => post(nid, { events: [ok, stated('us', 'tariff', 9, '2025-04-17')] }), 422, ['events', 1, 'data', 'value']],
      ['an inferred participant who is not a participant', () => post(nid, { events: [{ type: 'MeetingHeld', occurredAt: '2025-04-17T00:00:00Z', data: { participants: ['us'], inferred: ['ukraine'] } }] }), 400, ['events', 0, 'data', 'inferred', 0]],
      ['a proposal position with salience 2', () => post(nid, { events: [{ type: 'ProposalTabled', occurredAt: '2025-04-17T00:00:00Z', data: { proposal: 'p', title: 'P', sponsors: ['us'], positions: [{ issue: 'crimea', value: 1, salience: 2 }] } }] }), 400, ['events', 0, 'data', 'positions', 0, 'salience']],
      ['a status quo off the scale', () => post(nid, { events: [{ type: 'IssueDefined', occurredAt: '2025-04-17T00:00:00Z', data: { issue: 'quota', title: 'Quota', statusQuo: 200 } }] }), 422, ['events', 0, 'data', 'statusQuo']],
      ['a 5 MB body', () => post(nid, { events: [ok], padding: 'x'.repeat(5 * 1024 * 1024) }), 413, undefined],
    ];

    it.each(cases)('rejects %s', async (_name, send, status, path) => {
      const answer = await send();
      expect(answer.status).toBe(status);
      if (path) expect(answer.body.issues.map((i: { path: unknown }) => i.path)).toContainEqual(path);
      expect(typeof answer.body.error).toBe('string');
      expect(JSON.stringify(answer.body)).not.toMatch(/at .*\.(ts|js):\d+|SELECT|INSERT/);
    });

    it('accepts a body of 1 MB', async () => {
      const summary = 'x'.repeat(1000);
      const events = Array.from({ length: 1000 }, (_, i) => stated('us', 'crimea', i % 100, '2025-04-17', { summary }));
      const body = JSON.stringify({ events });
      expect(body.length).toBeGreaterThan(1_000_000);
      const answer = await call(app.url, 'POST', '/negotiations/big/events', { body: JSON.stringify({ events: [...setup(), ...events] }), contentType: 'application/json' });
      expect(answer.status).toBe(201);
      expect(answer.body.streamVersion).toBe(1006);
    });
  });
});
