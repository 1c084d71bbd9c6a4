import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../support/database';
import { call, startTestApp, type TestApp } from '../support/app';
import { setup } from '../support/builders';

const READER = 'reader-key-0123456789';
const WRITER = 'writer-key-0123456789';
const ADMIN = 'admin-key-0123456789';

describe('access with PARLEY_API_KEYS', () => {
  let app: TestApp;
  const write = (key?: string) =>
    call(app.url, 'POST', '/negotiations/keys/events', { json: { events: setup() }, ...(key ? { key } : {}) });

  beforeAll(async () => {
    app = await startTestApp({ PARLEY_API_KEYS: `reader:${READER},writer:${WRITER},admin:${ADMIN}` });
  });
  afterAll(() => app.close());

  it('keeps /health open', async () => {
    expect((await call(app.url, 'GET', '/health')).status).toBe(200);
  });

  it('answers 401 without a key or with a wrong one, with a Bearer challenge', async () => {
    const missing = await call(app.url, 'GET', '/negotiations');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect((await call(app.url, 'GET', '/negotiations', { key: 'wrong-key-0123456789' })).status).toBe(401);
    expect((await call(app.url, 'GET', '/negotiations', { key: READER.slice(0, -1) })).status).toBe(401);
  });

  it('lets a reader read but not write (403)', async () => {
    expect((await call(app.url, 'GET', '/negotiations', { key: READER })).status).toBe(200);
    const answer = await write(READER);
    expect(answer.status).toBe(403);
    expect(answer.body.error).toBe('forbidden');
    expect((await call(app.url, 'GET', '/events', { key: READER })).body.events).toEqual([]);
  });

  it('keeps admin routes (rebuild, export, restore) for admin keys', async () => {
    expect((await call(app.url, 'POST', '/admin/rebuild', { key: WRITER })).status).toBe(403);
    expect((await call(app.url, 'GET', '/admin/export', { key: READER })).status).toBe(403);
    expect((await call(app.url, 'POST', '/admin/restore', { key: WRITER, body: '', contentType: 'application/x-ndjson' })).status).toBe(403);
    const rebuilt = await call(app.url, 'POST', '/admin/rebuild', { key: ADMIN });
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body).toEqual({ events: expect.any(Number), position: expect.any(Number), ms: expect.any(Number) });
  });

  it('lets writers and admins write', async () => {
    expect((await write(WRITER)).status).toBe(201);
    expect((await call(app.url, 'GET', '/negotiations/keys', { key: ADMIN })).status).toBe(200);
  });
});

describe('hardening', () => {
  it('limits requests per key with 429 and Retry-After, separately for each key', async () => {
    const app = await startTestApp({ PARLEY_RATE_LIMIT: '3', PARLEY_API_KEYS: `reader:${READER},admin:${ADMIN}` });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(app.url, 'GET', '/negotiations', { key: READER })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await call(app.url, 'GET', '/negotiations', { key: READER });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.body.error).toBe('too_many_requests');
      expect((await call(app.url, 'GET', '/negotiations', { key: ADMIN })).status).toBe(200);
      expect((await call(app.url, 'GET', '/health')).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('slows key guessing: past PARLEY_AUTH_FAILURE_LIMIT wrong keys an address gets 429 for wrong keys, and its valid keys still pass', async () => {
    const app = await startTestApp({ PARLEY_AUTH_FAILURE_LIMIT: '5', PARLEY_API_KEYS: `reader:${READER}` });
    try {
      const statuses = [];
      for (let i = 0; i < 7; i++) statuses.push((await call(app.url, 'GET', '/negotiations', { key: `guess-${i}-0123456789` })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      const refused = await call(app.url, 'GET', '/negotiations', { key: 'guess-8-0123456789' });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // One mistyped key behind a NAT must not lock out the office (issue 23, item 10).
      expect((await call(app.url, 'GET', '/negotiations', { key: READER })).status).toBe(200);
      expect((await call(app.url, 'GET', '/health')).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('shares limits across instances: N instances on one database give one limit, not N', async () => {
    const database = await createTestDatabase();
    const env = { PARLEY_RATE_LIMIT: '4', PARLEY_AUTH_FAILURE_LIMIT: '4', PARLEY_API_KEYS: `reader:${READER}` };
    const a = await startTestApp(env, database);
    const b = await startTestApp(env, database);
    try {
      const reads = [];
      for (const app of [a, b, a, b, a]) reads.push((await call(app.url, 'GET', '/negotiations', { key: READER })).status);
      expect(reads).toEqual([200, 200, 200, 200, 429]);
      const guesses = [];
      for (const [i, app] of [a, b, a, b, b].entries()) guesses.push((await call(app.url, 'GET', '/negotiations', { key: `guess-${i}-0123456789` })).status);
      expect(guesses).toEqual([401, 401, 401, 401, 429]);
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });

  it('throttles no reader by default, and still throttles wrong keys from one address', async () => {
    const app = await startTestApp({ PARLEY_API_KEYS: `reader:${READER}` });
    try {
      // 2,000 reads from one address, 20 at a time: a Grafana, an office behind a NAT.
      const statuses = new Map<number, number>();
      for (let i = 0; i < 100; i++) {
        const batch = await Promise.all(Array.from({ length: 20 }, () => call(app.url, 'GET', '/negotiations', { key: READER })));
        for (const { status } of batch) statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
      expect(Object.fromEntries(statuses)).toEqual({ 200: 2000 });
      const wrong: number[] = [];
      for (let i = 0; i < 50; i++) wrong.push((await call(app.url, 'GET', '/negotiations', { key: `wrong-${i}-0123456789` })).status);
      expect(wrong).toContain(429);
      expect((await call(app.url, 'GET', '/negotiations', { key: READER })).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('keys the limit on what was verified: a new Authorization header per request does not escape it', async () => {
    const app = await startTestApp({ PARLEY_RATE_LIMIT: '3' });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await call(app.url, 'GET', '/negotiations', { key: `random-${i}-${Math.random()}` })).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await app.close();
    }
  });

  it('leaves writer keys unthrottled by default while readers are limited', async () => {
    const app = await startTestApp({ PARLEY_RATE_LIMIT: '3', PARLEY_API_KEYS: `reader:${READER},writer:${WRITER}` });
    try {
      const events = setup().map((event) => ({ ...event, id: randomUUID() }));
      const statuses = [];
      for (let i = 0; i < 10; i++) {
        statuses.push((await call(app.url, 'POST', '/negotiations/unthrottled/events', { key: WRITER, json: { events } })).status);
      }
      expect(statuses.every((s) => s === 201 || s === 200)).toBe(true);
      expect((await call(app.url, 'GET', '/negotiations', { key: WRITER })).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('sends security headers, and CORS only for configured origins', async () => {
    const closed = await startTestApp();
    const open = await startTestApp({ PARLEY_CORS_ORIGINS: 'https://dash.example.org' });
    try {
      const plain = await fetch(`${closed.url}/negotiations`, { headers: { origin: 'https://dash.example.org' } });
      expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
      expect(plain.headers.get('content-security-policy')).toContain("script-src 'self'");
      // Plain HTTP on any host name must keep working: no upgrade to https, no HSTS.
      expect(plain.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
      expect(plain.headers.get('strict-transport-security')).toBeNull();
      expect(plain.headers.get('access-control-allow-origin')).toBeNull();
      const allowed = await fetch(`${open.url}/negotiations`, { headers: { origin: 'https://dash.example.org' } });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dash.example.org');
      const other = await fetch(`${open.url}/negotiations`, { headers: { origin: 'https://evil.example.com' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await closed.close();
      await open.close();
    }
  });
});
