import { once } from 'node:events';
import { connect } from 'node:net';
import { call, startTestApp, type TestApp } from '../support/app';
import { setup } from '../support/builders';

/**
 * What the HTTP platform (Fastify since session 11) answers before a controller runs, in the
 * contract's shapes, and the routing clients had from the first version: each case is one a
 * client met on Express and must meet the same way.
 */
describe('HTTP platform', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ PARLEY_BODY_LIMIT: '64kb' });
    expect((await call(app.url, 'POST', '/negotiations/platform/events', { json: { events: setup() } })).status).toBe(201);
  });
  afterAll(() => app.close());

  it('routes a path in any case and with a trailing slash as without it, and keeps the dashboard directory', async () => {
    const plain = await call(app.url, 'GET', '/negotiations');
    const slashed = await call(app.url, 'GET', '/negotiations/?limit=5');
    expect(slashed.status).toBe(200);
    expect(slashed.body.negotiations).toEqual(plain.body.negotiations);
    // Paths match in any case; a parameter keeps its own.
    const shouting = await call(app.url, 'GET', '/NEGOTIATIONS/platform/Stances?at=2025-04-24');
    expect(shouting.status).toBe(200);
    expect((await call(app.url, 'GET', '/negotiations/PLATFORM/stances?at=2025-04-24')).status).toBe(400);
    const page = await fetch(`${app.url}/dashboard/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const bare = await fetch(`${app.url}/dashboard`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/dashboard/');
  });

  it('answers a body over PARLEY_BODY_LIMIT with 413 naming the limit in bytes, and writes nothing', async () => {
    const before = (await call(app.url, 'GET', '/negotiations/platform/events?limit=1000')).body.events.length;
    const answer = await call(app.url, 'POST', '/negotiations/platform/events', { json: { events: [], padding: 'x'.repeat(70_000) } });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ error: 'payload_too_large', message: 'The body exceeds the limit of 65536 bytes' });
    expect(typeof answer.body.requestId).toBe('string');
    expect((await call(app.url, 'GET', '/negotiations/platform/events?limit=1000')).body.events.length).toBe(before);
  });

  it('reads JSON as the contract says: an object or array, UTF-8 only, an empty body as {}', async () => {
    const bare = await call(app.url, 'POST', '/negotiations/platform/events', { body: '"events"', contentType: 'application/json' });
    expect(bare.status).toBe(400);
    expect(bare.body.error).toBe('invalid_request');
    expect(bare.body.issues[0].message).toMatch(/^Malformed JSON/);
    const latin = await call(app.url, 'POST', '/negotiations/platform/events', { body: '{"events":[]}', contentType: 'application/json; charset=latin1' });
    expect(latin.status).toBe(415);
    expect(latin.body).toMatchObject({ error: 'unsupported_media_type', message: 'Unsupported charset "LATIN1"' });
    // An empty JSON body is an empty object: the route names what is missing.
    const empty = await call(app.url, 'POST', '/negotiations/platform/events', { body: '', contentType: 'application/json' });
    expect(empty.status).toBe(400);
    expect(empty.body.issues.map((i: { path: unknown }) => i.path)).toContainEqual(['events']);
  });

  it('validates a long id (a 400 naming it), where a router cutting long parameters would 404', async () => {
    const answer = await call(app.url, 'GET', `/negotiations/${'n'.repeat(300)}/stances`);
    expect(answer.status).toBe(400);
    expect(answer.body.issues[0].path).toEqual(['nid']);
  });

  it('echoes X-Request-Id on an unknown route, with the contract`s 404', async () => {
    const answer = await fetch(`${app.url}/nowhere`, { headers: { 'x-request-id': 'trace-me-42' } });
    expect(answer.status).toBe(404);
    expect(answer.headers.get('x-request-id')).toBe('trace-me-42');
    expect(await answer.json()).toMatchObject({ error: 'not_found', requestId: 'trace-me-42' });
  });
});

describe('HTTP platform at shutdown', () => {
  it('closes a connection that never sent a request (a client\'s spare one) instead of waiting on it', async () => {
    const app = await startTestApp();
    const { port } = new URL(app.url);
    const spare = connect(Number(port), '127.0.0.1');
    await once(spare, 'connect');
    const used = await fetch(`${app.url}/livez`);
    expect(used.status).toBe(200);
    const closed = once(spare, 'close');
    // Without closing it, the server would wait for it until headersTimeout (60 s): past this test's time.
    await app.close();
    await closed;
    expect(spare.destroyed).toBe(true);
  });
});
