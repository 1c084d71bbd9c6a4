import { call, startTestApp, type TestApp } from '../../support/app';
import { setup, stated } from '../../support/builders';
import { eventually, startReceiver } from '../../support/receiver';

const READER = 'reader-key-0123456789';
const ADMIN = 'admin-key-0123456789';
const KEYS = `reader:${READER},admin:${ADMIN}`;
const FAST = { PARLEY_WEBHOOK_BACKOFF_MS: '20', PARLEY_WEBHOOK_MAX_ATTEMPTS: '2' };

/** Webhook URLs are credentials; secrets are not exported (issue 11, 11). */
describe('webhook credentials', () => {
  let app: TestApp;
  const as = (key: string) => ({
    get: (path: string) => call(app.url, 'GET', path, { key }),
    post: (path: string, json: unknown) => call(app.url, 'POST', path, { key, json }),
  });

  afterEach(async () => app?.close());

  it('shows full webhook URLs to admins only, and keeps them out of events', async () => {
    app = await startTestApp({ PARLEY_API_KEYS: KEYS, PARLEY_WEBHOOK_ALLOW: '127.0.0.1', ...FAST });
    const receiver = await startReceiver();
    try {
      const hook = `${receiver.url}/T0001/B0002/secret-path?token=s3cr3t`;
      await as(ADMIN).post('/negotiations/urls/events', { events: [...setup(), stated('us', 'crimea', 0, '2025-04-01')] });
      const rule = await as(ADMIN).post('/negotiations/urls/alert-rules', {
        name: 'us moves',
        rule: { kind: 'position_shift', party: 'us', issue: 'crimea', delta: 1 },
        webhook: { url: hook },
      });
      expect(rule.status).toBe(201);
      await as(ADMIN).post('/negotiations/urls/events', { events: [stated('us', 'crimea', 50, '2025-04-02')] });
      await eventually(async () => receiver.calls.length > 0, 'the delivery');
      expect(receiver.calls[0]!.status).toBe(200);

      const origin = new URL(receiver.url).origin;
      expect((await as(ADMIN).get('/negotiations/urls/alert-rules')).body.rules[0].webhook).toEqual({ url: hook, stored: true });
      const forReader = JSON.stringify([
        (await as(READER).get('/negotiations/urls/alert-rules')).body,
        (await as(READER).get('/negotiations/urls/alerts/deliveries')).body,
        (await as(READER).get('/events?limit=1000')).body,
      ]);
      expect(forReader).toContain(`${origin}/…`);
      expect(forReader).not.toContain('s3cr3t');
      expect(forReader).not.toContain('secret-path');
      // Events are history: not even an admin finds the credential there.
      expect(JSON.stringify((await as(ADMIN).get('/events?limit=1000')).body)).not.toContain('s3cr3t');
    } finally {
      await receiver.close();
    }
  });

  it('refuses, when connecting, an allowed name that resolves to a loopback address', async () => {
    app = await startTestApp({ PARLEY_WEBHOOK_ALLOW: 'localhost', ...FAST });
    const receiver = await startReceiver();
    try {
      const port = new URL(receiver.url).port;
      await call(app.url, 'POST', '/negotiations/rebind/events', { json: { events: [...setup(), stated('us', 'crimea', 0, '2025-04-01')] } });
      const rule = await call(app.url, 'POST', '/negotiations/rebind/alert-rules', {
        json: { name: 'm', rule: { kind: 'position_shift', party: 'us', issue: 'crimea', delta: 1 }, webhook: { url: `http://localhost:${port}/hook` } },
      });
      expect(rule.status).toBe(201);
      await call(app.url, 'POST', '/negotiations/rebind/events', { json: { events: [stated('us', 'crimea', 50, '2025-04-02')] } });
      const dead = await eventually(async () => {
        const list = (await call(app.url, 'GET', '/negotiations/rebind/alerts/deliveries?status=dead')).body.deliveries;
        return list.length > 0 && list;
      }, 'a dead letter');
      expect(dead[0].lastError).toMatch(/resolves to .*an internal address the allow-list does not name/);
      expect(receiver.calls).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('says at restore that webhooks must be set again, and dead-letters their deliveries until they are', async () => {
    const receiver = await startReceiver();
    const env = { PARLEY_WEBHOOK_ALLOW: '127.0.0.1', ...FAST };
    const source = await startTestApp(env);
    let exported: string;
    let ruleId: string;
    try {
      await call(source.url, 'POST', '/negotiations/moved/events', { json: { events: [...setup(), stated('us', 'crimea', 0, '2025-04-01')] } });
      ruleId = (
        await call(source.url, 'POST', '/negotiations/moved/alert-rules', {
          json: { name: 'm', rule: { kind: 'position_shift', party: 'us', issue: 'crimea', delta: 1 }, webhook: { url: receiver.url, secret: 'a-secret-that-stays-behind' } },
        })
      ).body.id;
      exported = (await call(source.url, 'GET', '/admin/export')).body;
    } finally {
      await source.close();
    }
    expect(exported).not.toContain('a-secret-that-stays-behind');

    app = await startTestApp(env);
    try {
      const restored = await call(app.url, 'POST', '/admin/restore', { body: exported, contentType: 'application/x-ndjson' });
      expect(restored.status).toBe(200);
      expect(restored.body.warnings).toEqual([expect.stringContaining(`set again`)]);
      expect(restored.body.warnings[0]).toContain(ruleId);

      await call(app.url, 'POST', '/negotiations/moved/events', { json: { events: [stated('us', 'crimea', 50, '2025-04-02')] } });
      const dead = await eventually(async () => {
        const list = (await call(app.url, 'GET', '/negotiations/moved/alerts/deliveries?status=dead')).body.deliveries;
        return list.length > 0 && list;
      }, 'a dead letter');
      expect(dead[0].lastError).toContain(`PUT /negotiations/moved/alert-rules/${ruleId}`);
      expect(receiver.calls).toEqual([]);

      const reset = await call(app.url, 'PUT', `/negotiations/moved/alert-rules/${ruleId}`, {
        json: { name: 'm', rule: { kind: 'position_shift', party: 'us', issue: 'crimea', delta: 1 }, webhook: { url: receiver.url, secret: 'a-new-secret-0123456789' } },
      });
      expect(reset.status).toBe(200);
      await call(app.url, 'POST', '/negotiations/moved/events', { json: { events: [stated('us', 'crimea', 90, '2025-04-03')] } });
      await eventually(async () => receiver.calls.length > 0, 'a delivery once the webhook is set again');
      expect(receiver.calls[0]!.headers['x-parley-signature']).toMatch(/^sha256=/);
    } finally {
      await receiver.close();
    }
  });
});
