import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { call, startTestApp, type TestApp } from '../support/app';
import { setup, stated } from '../support/builders';
import { freePort } from '../support/free-port';
import { eventually } from '../support/receiver';

const SECRET = 'a-long-random-secret-for-the-example';

/**
 * examples/webhook-receiver (issue 29): the shipped receiver verifies a real delivery with the
 * Standard Webhooks library, and refuses a tampered body and a replay older than its tolerance.
 */
describe('the example webhook receiver', () => {
  let app: TestApp;
  let receiver: ChildProcess;
  let url: string;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/`;
    receiver = spawn(process.execPath, [join(__dirname, '../../examples/webhook-receiver/receiver.mjs')], { env: { ...process.env, PARLEY_WEBHOOK_SECRET: SECRET, PORT: String(port) } });
    receiver.stdout!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    });
    await eventually(async () => lines.some((l) => l.listening), 'the receiver to listen');
    app = await startTestApp({ PARLEY_WEBHOOK_ALLOW: '127.0.0.1' });
  });
  afterAll(async () => {
    receiver?.kill();
    await app?.close();
  });

  it('verifies a delivery, and refuses it tampered or replayed', async () => {
    expect((await call(app.url, 'POST', '/negotiations/hooked/events', { json: { events: [...setup(), stated('us', 'crimea', 90, '2025-04-01'), stated('ukraine', 'crimea', 0, '2025-04-01')] } })).status).toBe(201);
    const rule = await call(app.url, 'POST', '/negotiations/hooked/alert-rules', {
      json: { name: 'closer', rule: { kind: 'gap_threshold', a: 'us', b: 'ukraine', issue: 'crimea', threshold: 50, direction: 'down' }, webhook: { url, secret: SECRET } },
    });
    expect(rule.status).toBe(201);
    expect((await call(app.url, 'POST', '/negotiations/hooked/events', { json: { events: [stated('us', 'crimea', 30, '2025-04-02')] } })).status).toBe(201);
    const received = await eventually(async () => lines.find((l) => l.received), 'a verified delivery');
    expect(received).toMatchObject({ status: 'firing', alerts: [expect.stringContaining('crimea')] });
    // The receiver logs its line before it answers, and Parley records the attempt once the answer
    // is in: wait for the record to leave `pending`, then check what it says.
    const deliveries = await eventually(async () => {
      const list = (await call(app.url, 'GET', '/negotiations/hooked/alerts/deliveries')).body.deliveries as { status: string }[];
      return list.some((d) => d.status !== 'pending') && list;
    }, 'the delivery to be recorded');
    expect(deliveries).toEqual([expect.objectContaining({ status: 'delivered' })]);

    // A forged or replayed post, signed as Standard Webhooks would: refused with 401.
    const signer = new Webhook(`whsec_${Buffer.from(SECRET).toString('base64')}`);
    const body = JSON.stringify({ status: 'firing', alerts: [] });
    const post = (headers: Record<string, string>, payload = body) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
    const signed = (at: Date, id: string) => ({ 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signer.sign(id, at, body) });
    expect((await post(signed(new Date(), 'msg_fresh'))).status).toBe(204);
    expect((await post(signed(new Date(), 'msg_tampered'), body.replace('firing', 'resolved'))).status).toBe(401);
    expect((await post(signed(new Date(Date.now() - 10 * 60_000), 'msg_replayed'))).status).toBe(401);
    expect(lines.filter((l) => l.refused).map((l) => l.refused)).toEqual(['msg_tampered', 'msg_replayed']);
  });
});
