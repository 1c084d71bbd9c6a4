import { call, startTestApp, type TestApp } from '../../support/app';
import { setup, stated } from '../../support/builders';

/** As-of answers tagged by (question, the negotiation's last position): 304s, a cache that never serves an old answer. */
describe('as-of answers: ETag, 304 and the in-process cache', () => {
  let app: TestApp;
  let uncached: TestApp;
  const get = (path: string, headers: Record<string, string> = {}, on = app) => fetch(`${on.url}${path}`, { headers });
  const append = (events: unknown[]) => call(app.url, 'POST', '/negotiations/cached/events', { json: { events } });

  beforeAll(async () => {
    app = await startTestApp();
    // The same database, no cache: what every cached answer must equal.
    uncached = await startTestApp({ PARLEY_READ_CACHE_MB: '0' }, app.database);
    expect((await append([...setup(), stated('us', 'crimea', 40, '2025-04-20'), stated('ukraine', 'crimea', 0, '2025-04-20')])).status).toBe(201);
  });
  afterAll(async () => {
    await uncached.close();
    await app.close();
  });

  it('tags a read, answers a revalidation with 304 and no body, and says who answered', async () => {
    const first = await get('/negotiations/cached/stances?at=2025-04-24');
    const etag = first.headers.get('etag')!;
    // knownAt is "now", echoed: same content, another echo, so the tag is weak.
    expect(etag).toMatch(/^W\/"[\w-]{27}"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await get('/negotiations/cached/stances?at=2025-04-24', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('parley-served-by')).toBe('primary');
    // Another question, another tag; the order of the parameters does not matter.
    const other = await get('/negotiations/cached/gaps?between=us,ukraine&at=2025-04-24');
    const reordered = await get('/negotiations/cached/gaps?at=2025-04-24&between=us,ukraine', { 'if-none-match': other.headers.get('etag')! });
    expect(reordered.status).toBe(304);
    expect(other.headers.get('etag')).not.toBe(etag);
  });

  it('never serves a cached answer after the negotiation moved on: new tag, new body', async () => {
    const before = await get('/negotiations/cached/stances?at=2025-04-24');
    const etag = before.headers.get('etag')!;
    const cached = await (await get('/negotiations/cached/stances?at=2025-04-24')).json();
    expect(cached.stances.find((s: { party: string }) => s.party === 'us').value).toBe(40);
    expect((await append([stated('us', 'crimea', 70, '2025-04-22')])).status).toBe(201);
    const after = await get('/negotiations/cached/stances?at=2025-04-24', { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect((await after.json()).stances.find((s: { party: string }) => s.party === 'us').value).toBe(70);
    // And through another instance's write, read with its position (read your writes across instances).
    const write = await call(uncached.url, 'POST', '/negotiations/cached/events', { json: { events: [stated('us', 'crimea', 75, '2025-04-23')] } });
    const mine = await get('/negotiations/cached/stances?at=2025-04-24', { 'parley-min-position': write.headers.get('parley-position')! });
    expect((await mine.json()).stances.find((s: { party: string }) => s.party === 'us').value).toBe(75);
  });

  it('answers from the cache exactly what an uncached instance answers, with this read\'s now as knownAt', async () => {
    const paths = [
      '/negotiations/cached/stances?at=2025-04-24',
      '/negotiations/cached/gaps?at=2025-04-21&between=us,ukraine',
      '/negotiations/cached/gaps/series?between=us,ukraine&from=2025-04-18&to=2025-04-25',
      '/negotiations/cached/zones?at=2025-04-24',
      '/negotiations/cached/outcomes?at=2025-04-24',
      '/negotiations/cached/concessions?party=us&toward=ukraine&from=2025-04-20&to=2025-04-24',
      '/negotiations/cached/parties/us/history',
      '/negotiations/cached',
      '/negotiations/cached/stances?at=2025-04-24&knownAt=2025-01-01',
    ];
    const hits = async () => Number(/^parley_read_cache_total\{result="hit"\} (\d+)$/m.exec((await call(app.url, 'GET', '/metrics')).body as string)?.[1] ?? 0);
    const hitsBefore = await hits();
    for (const path of paths) {
      await get(path); // fills the cache
      const hit = await get(path);
      const plain = await get(path, {}, uncached);
      expect(hit.status).toBe(200);
      const [a, b] = [await hit.json(), await plain.json()];
      if (!path.includes('knownAt=')) {
        // The echo is each read's own now: the hit's is not the one it was cached with.
        expect(Date.parse(a.knownAt)).toBeLessThanOrEqual(Date.parse(b.knownAt));
        delete a.knownAt;
        delete b.knownAt;
      }
      expect({ path, answer: a }).toEqual({ path, answer: b });
    }
    // Every second read above was answered from memory (a first one may have been too: the
    // stances read was cached by the test before).
    expect((await hits()) - hitsBefore).toBeGreaterThanOrEqual(paths.length);
  });

  it('lets a settled question be kept for good: a cited version, or a knownAt long past', async () => {
    const versioned = await get('/negotiations/cached/stances?at=2025-04-24&version=8');
    expect(versioned.headers.get('cache-control')).toBe('max-age=31536000, immutable');
    const past = await get('/negotiations/cached/stances?at=2025-04-24&knownAt=2025-01-01');
    expect(past.headers.get('etag')).toMatch(/^"[\w-]{27}"$/);
    expect(past.headers.get('cache-control')).toBe('max-age=31536000, immutable');
    // A knownAt still to come is not settled: appends may yet be recorded before it.
    const future = await get('/negotiations/cached/stances?at=2025-04-24&knownAt=2099-01-01');
    expect(future.headers.get('cache-control')).toBe('no-cache');
  });

  it('tags nothing as of "now", and answers an unknown negotiation and bad parameters as before', async () => {
    const now = await get('/negotiations/cached/stances');
    expect(now.headers.get('cache-control')).toBeNull();
    expect((await get('/negotiations/nowhere/stances?at=2025-04-24')).status).toBe(404);
    const bad = await get('/negotiations/cached/stances?at=soon');
    expect(bad.status).toBe(400);
    expect((await bad.json()).issues[0].path).toEqual(['at']);
    const csv = await get('/negotiations/cached/gaps/series?between=us,ukraine&from=2025-04-18&to=2025-04-25&format=csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  });
});
