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

  it('lets writers and admins write', async () => {
    expect((await write(WRITER)).status).toBe(201);
    expect((await call(app.url, 'GET', '/negotiations/keys', { key: ADMIN })).status).toBe(200);
  });
});
