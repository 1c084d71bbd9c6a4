import { call, startTestApp, type TestApp } from '../../support/app';
import { setup, stated } from '../../support/builders';
import { openSse } from '../../support/sse';

describe('GET /feed', () => {
  let app: TestApp;
  const post = (nid: string, events: unknown[]) => call(app.url, 'POST', `/negotiations/${nid}/events`, { json: { events } });

  beforeAll(async () => {
    app = await startTestApp({ PARLEY_FEED_HEARTBEAT_MS: '200' });
    await post('feed-a', setup());
  });
  afterAll(() => app.close());

  it('starts at the head and streams new events as CloudEvents, SSE id = global position', async () => {
    const head = (await call(app.url, 'GET', '/events?limit=1000')).body.events.length;
    const client = await openSse(`${app.url}/feed`);
    const answer = await post('feed-a', [stated('us', 'crimea', 40, '2025-04-17')]);
    const [message] = await client.waitFor(1);
    client.close();
    expect(message).toMatchObject({ id: String(head + 1), event: 'PositionStated' });
    const envelope = JSON.parse(message!.data);
    expect(envelope).toMatchObject({
      specversion: '1.0',
      id: answer.body.events[0].id,
      type: 'parley.PositionStated',
      source: '/negotiations/feed-a',
      subject: 'feed-a',
      time: '2025-04-17T12:00:00.000Z',
      datacontenttype: 'application/json',
      parleyposition: head + 1,
    });
    expect(envelope.data).toMatchObject({ negotiation: 'feed-a', data: { party: 'us', value: 40 } });
  });

  it('resumes after Last-Event-ID with nothing missed or repeated, across a disconnect', async () => {
    const first = await openSse(`${app.url}/feed?negotiation=feed-a`);
    await post('feed-a', [stated('us', 'crimea', 1, '2025-04-18'), stated('us', 'crimea', 2, '2025-04-18')]);
    const seen = await first.waitFor(2);
    first.close();
    // Written while nobody listens.
    await post('feed-a', [stated('us', 'crimea', 3, '2025-04-19')]);
    await post('feed-a', [stated('us', 'crimea', 4, '2025-04-19'), stated('us', 'crimea', 5, '2025-04-19')]);
    const resumed = await openSse(`${app.url}/feed?negotiation=feed-a&after=1`, { 'last-event-id': seen[1]!.id! });
    await post('feed-a', [stated('us', 'crimea', 6, '2025-04-20')]);
    const rest = await resumed.waitFor(4);
    resumed.close();
    const values = [...seen, ...rest].map((m) => JSON.parse(m.data).data.data.value);
    expect(values).toEqual([1, 2, 3, 4, 5, 6]);
    const ids = [...seen, ...rest].map((m) => Number(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('filters by negotiation and type, and sends heartbeats while idle', async () => {
    await post('feed-b', setup());
    const client = await openSse(`${app.url}/feed?negotiation=feed-b&types=PositionStated`);
    await post('feed-a', [stated('us', 'crimea', 7, '2025-04-21')]);
    await post('feed-b', [party2(), stated('us', 'sanctions', 9, '2025-04-21')]);
    const [message] = await client.waitFor(1);
    client.close();
    expect(message!.event).toBe('PositionStated');
    expect(JSON.parse(message!.data).subject).toBe('feed-b');

    const raw = await fetch(`${app.url}/feed`, { signal: AbortSignal.timeout(1500) }).then(async (r) => {
      const reader = r.body!.getReader();
      let text = '';
      while (!text.includes(': heartbeat')) text += new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      return text;
    });
    expect(raw).toContain('retry: 1000');
  });

  it('sends the stream unframed, ended by the connection (each frame one plain socket write)', async () => {
    const answer = await fetch(`${app.url}/feed`, { signal: AbortSignal.timeout(1500) });
    expect(answer.headers.get('connection')).toBe('close');
    expect(answer.headers.get('transfer-encoding')).toBeNull();
    expect(answer.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await answer.body!.cancel();
  });

  it('exposes Prometheus metrics: events appended, gaps of every pair, feed clients', async () => {
    await post('feed-a', [stated('ukraine', 'crimea', 10, '2025-04-22')]);
    const metrics = (await call(app.url, 'GET', '/metrics')).body as string;
    expect(metrics).toMatch(/^parley_events_appended_total\{type="PositionStated"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^parley_append_duration_seconds_count [1-9]\d*$/m);
    expect(metrics).toMatch(/^parley_gap_overall\{negotiation="feed-a",a="ukraine",b="us"\} \d+/m);
    expect(metrics).toMatch(/^parley_sse_clients \d+$/m);
  });

  it('serves many replaying clients and live ones alike, each everything once, in order', async () => {
    const log = (await call(app.url, 'GET', '/events?limit=1000')).body.events as { globalPosition: number }[];
    const replaying = await Promise.all(Array.from({ length: 12 }, () => openSse(`${app.url}/feed?after=0`)));
    const live = await openSse(`${app.url}/feed`);
    const written = await post('feed-a', [stated('us', 'crimea', 33, '2025-04-23')]);
    const total = log.length + 1;
    for (const client of replaying) {
      const messages = await client.waitFor(total);
      client.close();
      expect(messages.map((m) => Number(m.id))).toEqual([...log.map((e) => e.globalPosition), written.body.events[0].globalPosition]);
    }
    const [message] = await live.waitFor(1);
    live.close();
    expect(Number(message!.id)).toBe(written.body.events[0].globalPosition);
  });

  it('pushes to clients at the head by filter, each exactly its events in order, while others replay', async () => {
    await post('feed-c', setup());
    await post('feed-d', setup());
    const head = ((await call(app.url, 'GET', '/events?limit=1000')).body.events as unknown[]).length;
    const filters = ['', 'negotiation=feed-c', 'negotiation=feed-c', 'negotiation=feed-c&types=PositionStated', 'negotiation=feed-d&types=PositionWithdrawn,PositionStated'];
    const live = await Promise.all(filters.map((filter) => openSse(`${app.url}/feed?${filter}`)));
    const replaying = await openSse(`${app.url}/feed?after=0&negotiation=feed-c`);
    // Bursts to two negotiations at once, so pushes carry one event or several.
    for (let burst = 0; burst < 6; burst++) {
      await Promise.all([
        post('feed-c', [stated('us', 'crimea', burst, '2025-04-24'), stated('ukraine', 'crimea', burst, '2025-04-24')]),
        post('feed-d', [stated('us', 'crimea', 50 + burst, '2025-04-24')]),
        burst % 2 === 0 ? post('feed-c', [{ type: 'PartyAdded', occurredAt: '2025-04-24T00:00:00Z', data: { party: `p${burst}`, name: `P ${burst}` } }]) : Promise.resolve(),
      ]);
    }
    const whole = (await call(app.url, 'GET', '/events?limit=1000')).body.events as { globalPosition: number; negotiation: string; type: string }[];
    const log = whole.filter((e) => e.globalPosition > head);
    const streamOf = (e: (typeof log)[number]) => e.negotiation;
    const expected = [
      log,
      log.filter((e) => streamOf(e) === 'feed-c'),
      log.filter((e) => streamOf(e) === 'feed-c'),
      log.filter((e) => streamOf(e) === 'feed-c' && e.type === 'PositionStated'),
      log.filter((e) => streamOf(e) === 'feed-d' && e.type === 'PositionStated'),
    ].map((events) => events.map((e) => e.globalPosition));
    for (const [i, client] of live.entries()) {
      const messages = await client.waitFor(expected[i]!.length);
      // Nothing beyond what was expected arrives later either.
      await new Promise((resolve) => setTimeout(resolve, 100));
      client.close();
      expect(client.messages.map((m) => Number(m.id))).toEqual(expected[i]);
      expect(messages.length).toBe(expected[i]!.length);
    }
    const everyC = whole.filter((e) => e.negotiation === 'feed-c').map((e) => e.globalPosition);
    await replaying.waitFor(everyC.length);
    await new Promise((resolve) => setTimeout(resolve, 100));
    replaying.close();
    expect(replaying.messages.map((m) => Number(m.id))).toEqual(everyC);
  });

  it('answers 400 for a bad Last-Event-ID', async () => {
    const answer = await fetch(`${app.url}/feed`, { headers: { 'last-event-id': 'abc' } });
    expect(answer.status).toBe(400);
  });
});

function party2() {
  return { type: 'PartyAdded', occurredAt: '2025-04-21T00:00:00Z', data: { party: 'eu', name: 'EU' } };
}

describe('GET /feed connection limits', () => {
  it('caps connections per client with 429 and Retry-After (PARLEY_FEED_MAX_PER_CLIENT)', async () => {
    const app = await startTestApp({ PARLEY_FEED_MAX_PER_CLIENT: '3' });
    try {
      const open = await Promise.all(Array.from({ length: 3 }, () => openSse(`${app.url}/feed`)));
      const refused = await fetch(`${app.url}/feed`);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect((await refused.json()).message).toContain('PARLEY_FEED_MAX_PER_CLIENT');
      open[0]!.close();
      await open[0]!.closed;
      let again: Awaited<ReturnType<typeof openSse>> | undefined;
      for (let i = 0; i < 50 && !again; i++) again = await openSse(`${app.url}/feed`).catch(() => undefined);
      expect(again).toBeDefined();
      again!.close();
      for (const client of open.slice(1)) client.close();
    } finally {
      await app.close();
    }
  });
});

describe('GET /feed with API keys', () => {
  let app: TestApp;
  const READER = 'reader-key-feed-0001';

  beforeAll(async () => {
    app = await startTestApp({ PARLEY_API_KEYS: `reader:${READER}` });
  });
  afterAll(() => app.close());

  it('needs a key, or a token from POST /feed/tokens for EventSource', async () => {
    expect((await fetch(`${app.url}/feed`)).status).toBe(401);
    expect((await fetch(`${app.url}/feed?token=123.abc`)).status).toBe(401);
    const { body } = await call(app.url, 'POST', '/feed/tokens', { key: READER });
    expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
    const client = await openSse(`${app.url}/feed?token=${encodeURIComponent(body.token)}`);
    client.close();
    const withKey = await openSse(`${app.url}/feed`, { authorization: `Bearer ${READER}` });
    withKey.close();
  });

  it('keeps /metrics behind a key unless PARLEY_METRICS_PUBLIC', async () => {
    expect((await call(app.url, 'GET', '/metrics')).status).toBe(401);
    const metrics = await call(app.url, 'GET', '/metrics', { key: READER });
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('parley_projector_lag_events');
  });
});
