import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { readFileSync } from 'node:fs';
import { exampleDatasetPath } from '../../../src/config/paths';
import { call, startTestApp, type TestApp } from '../../support/app';
import { setup, stated } from '../../support/builders';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { eventually, startReceiver } from '../../support/receiver';

const ENV = { PARLEY_WEBHOOK_ALLOW: '127.0.0.1', PARLEY_WEBHOOK_BACKOFF_MS: '20', PARLEY_WEBHOOK_MAX_ATTEMPTS: '8' };

describe('alert rules', () => {
  let app: TestApp;
  const post = (nid: string, events: unknown[]) => call(app.url, 'POST', `/negotiations/${nid}/events`, { json: { events } });
  const alerts = async (nid: string) => (await call(app.url, 'GET', `/negotiations/${nid}/alerts`)).body.alerts as { type: string; data: any }[];

  beforeAll(async () => {
    app = await startTestApp(ENV);
  });
  afterAll(() => app.close());

  it('fires a gap threshold once per crossing', async () => {
    await post('cross', [...setup(), stated('us', 'crimea', 50, '2025-04-01'), stated('ukraine', 'crimea', 40, '2025-04-01')]);
    const created = await call(app.url, 'POST', '/negotiations/cross/alert-rules', {
      json: { name: 'crimea apart', rule: { kind: 'gap_threshold', a: 'us', b: 'ukraine', issue: 'crimea', threshold: 50, direction: 'up' } },
    });
    expect(created.status).toBe(201);
    await post('cross', [stated('us', 'crimea', 100, '2025-04-02')]); // 10 → 60: crosses up
    await post('cross', [stated('us', 'crimea', 90, '2025-04-03')]); // 50: still above
    await post('cross', [stated('us', 'crimea', 60, '2025-04-04')]); // 20: below again, the level alert resolves
    await post('cross', [stated('us', 'crimea', 95, '2025-04-05')]); // 55: crosses up again
    const fired = await alerts('cross');
    expect(fired.map((a) => [a.type, a.data.before.value, a.data.after.value])).toEqual([
      ['AlertFired', 10, 60],
      ['AlertResolved', 50, 20],
      ['AlertFired', 20, 55],
    ]);
    expect(fired[1]!.data.firing).toBe((fired[0] as unknown as { id: string }).id);
    expect(fired[0]!.data).toMatchObject({ rule: created.body.id, kind: 'gap_threshold', triggeringEvent: { type: 'PositionStated' } });
    expect(fired[0]!.data.at).toBe(fired[0]!.data.knownAt);
    // Firings live in a stream of their own: the negotiation's version is untouched.
    expect((await call(app.url, 'GET', '/negotiations/cross')).body.version).toBe(12);
  });

  it('refuses unknown parties and webhook hosts outside PARLEY_WEBHOOK_ALLOW', async () => {
    await post('refuse', setup());
    const unknown = await call(app.url, 'POST', '/negotiations/refuse/alert-rules', {
      json: { name: 'x', rule: { kind: 'position_shift', party: 'china', issue: 'crimea', delta: 5 } },
    });
    expect(unknown.status).toBe(422);
    const outside = await call(app.url, 'POST', '/negotiations/refuse/alert-rules', {
      json: { name: 'x', rule: { kind: 'position_shift', party: 'us', issue: 'crimea', delta: 5 }, webhook: { url: 'http://10.0.0.5/hook' } },
    });
    expect(outside.status).toBe(422);
    expect(outside.body.issues[0].path).toEqual(['webhook', 'url']);
  });

  it('delivers to a receiver that refuses 5 times, once, signed, and never shows the secret', async () => {
    const receiver = await startReceiver([500, 503, 500, 502, 500]);
    try {
      await post('hook', [...setup(), stated('russia', 'sanctions', 100, '2025-04-01')]);
      const secret = 'a-webhook-secret-of-some-length';
      const rule = await call(app.url, 'POST', '/negotiations/hook/alert-rules', {
        json: { name: 'russia moves', rule: { kind: 'position_shift', party: 'russia', issue: 'sanctions', delta: 10 }, webhook: { url: receiver.url, secret } },
      });
      expect(rule.body).toEqual({ id: expect.any(String) });
      await post('hook', [stated('russia', 'sanctions', 50, '2025-04-02')]);
      const delivered = await eventually(async () => receiver.calls.find((c) => c.status === 200), 'a successful delivery');
      expect(receiver.calls).toHaveLength(6);
      expect(new Set(receiver.calls.map((c) => c.headers['idempotency-key'])).size).toBe(1);
      expect(delivered.headers['x-parley-signature']).toBe(`sha256=${createHmac('sha256', secret).update(delivered.body).digest('hex')}`);
      // Standard Webhooks: the receiver's ready-made verifier (the standardwebhooks package)
      // accepts it with the secret as whsec_ + base64, refuses it tampered or replayed later.
      const verifier = new Webhook(`whsec_${Buffer.from(secret).toString('base64')}`);
      const signed = { 'webhook-id': String(delivered.headers['webhook-id']), 'webhook-timestamp': String(delivered.headers['webhook-timestamp']), 'webhook-signature': String(delivered.headers['webhook-signature']) };
      expect(signed['webhook-id']).toBe(delivered.headers['idempotency-key']);
      expect(verifier.verify(delivered.body, signed)).toEqual(JSON.parse(delivered.body));
      expect(() => verifier.verify(delivered.body.replace('firing', 'resolved'), signed)).toThrow();
      const later = { ...signed, 'webhook-timestamp': String(Number(signed['webhook-timestamp']) - 600) };
      expect(() => verifier.verify(delivered.body, later)).toThrow();
      // Every attempt of the one delivery carried the same webhook-id (receivers dedupe on it).
      expect(new Set(receiver.calls.map((c) => c.headers['webhook-id'])).size).toBe(1);
      const payload = JSON.parse(delivered.body);
      expect(payload).toMatchObject({ version: '4', status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'russia moves', kind: 'position_shift' } }] });
      expect(payload.cloudevent).toMatchObject({ specversion: '1.0', type: 'parley.AlertFired', id: delivered.headers['idempotency-key'] });
      const deliveries = (await call(app.url, 'GET', '/negotiations/hook/alerts/deliveries')).body.deliveries;
      expect(deliveries).toEqual([expect.objectContaining({ status: 'delivered', attempts: 6 })]);

      const everything = JSON.stringify([
        (await call(app.url, 'GET', '/negotiations/hook/alert-rules')).body,
        (await call(app.url, 'GET', '/events?limit=1000')).body,
        deliveries,
      ]);
      expect(everything).not.toContain(secret);
    } finally {
      await receiver.close();
    }
  });

  it('gives up after the last attempt and shows the dead letter', async () => {
    const receiver = await startReceiver(Array(20).fill(500));
    try {
      await post('dead', [...setup(), stated('us', 'crimea', 0, '2025-04-01')]);
      const rule = await call(app.url, 'POST', '/negotiations/dead/alert-rules', {
        json: { name: 'us moves', rule: { kind: 'position_shift', party: 'us', issue: 'crimea', delta: 1 }, webhook: { url: receiver.url } },
      });
      expect(rule.body.secret).toEqual(expect.any(String)); // generated, answered once
      await post('dead', [stated('us', 'crimea', 50, '2025-04-02')]);
      const dead = await eventually(async () => {
        const list = (await call(app.url, 'GET', '/negotiations/dead/alerts/deliveries?status=dead')).body.deliveries;
        return list.length > 0 && list;
      }, 'a dead letter');
      expect(dead[0]).toMatchObject({ attempts: 8, lastError: 'HTTP 500' });
      expect(receiver.calls).toHaveLength(8);
    } finally {
      await receiver.close();
    }
  });

  it('removes a rule: it stops firing and disappears from the list', async () => {
    await post('removal', [...setup(), stated('us', 'crimea', 0, '2025-04-01')]);
    const rule = await call(app.url, 'POST', '/negotiations/removal/alert-rules', {
      json: { name: 'm', rule: { kind: 'position_shift', party: 'us', issue: 'crimea', delta: 1 } },
    });
    expect((await call(app.url, 'DELETE', `/negotiations/removal/alert-rules/${rule.body.id}`)).status).toBe(204);
    await post('removal', [stated('us', 'crimea', 50, '2025-04-02')]);
    expect(await alerts('removal')).toEqual([]);
    expect((await call(app.url, 'GET', '/negotiations/removal/alert-rules')).body.rules).toEqual([]);
    expect((await call(app.url, 'DELETE', `/negotiations/removal/alert-rules/${rule.body.id}`)).status).toBe(404);
  });

  it('emits one restatement for late news that changes the past, instead of re-firing', async () => {
    await post('late', [...setup(), stated('us', 'crimea', 80, '2025-04-10'), stated('ukraine', 'crimea', 0, '2025-04-10')]);
    await call(app.url, 'POST', '/negotiations/late/alert-rules', {
      json: { name: 'gap', rule: { kind: 'gap_threshold', a: 'us', b: 'ukraine', issue: 'crimea', threshold: 50 } },
    });
    // Back-dated to 5 April: today's gap (80) is unchanged, the gap on 5 April is new.
    await post('late', [stated('us', 'crimea', 30, '2025-04-05'), stated('ukraine', 'crimea', 10, '2025-04-05')]);
    const list = await alerts('late');
    expect(list.map((a) => a.type)).toEqual(['AlertRestated']);
    expect(list[0]!.data).toMatchObject({ from: '2025-04-05T12:00:00.000Z', before: { value: null }, after: { value: 20 } });
  });

  it('replays a rule over the April 2025 example, by valid time and by recorded time', async () => {
    await call(app.url, 'POST', '/negotiations/ukraine-2025/events:import', { body: readFileSync(exampleDatasetPath(), 'utf8'), contentType: 'application/x-ndjson' });
    const replay = (rule: unknown, by: string) => call(app.url, 'POST', '/negotiations/ukraine-2025/alert-rules:replay', { json: { rule, by } });
    const gap = await replay({ kind: 'gap_threshold', a: 'us', b: 'ukraine', threshold: 74.2, direction: 'up' }, 'valid');
    expect(gap.status).toBe(200);
    // 74.05 after London (274 / 3.7); Trump's salience on 25 April (0.9 on Crimea, above the London
    // text's 0.8) brings it to 74.4 (279 / 3.75): it crosses 74.2 then.
    expect(gap.body.firings.map((f: { at: string }) => f.at)).toEqual(['2025-04-25T00:00:00.000Z']);
    const redLine = await replay({ kind: 'red_line', mode: 'stance', party: 'russia', issue: 'foreign-forces' }, 'valid');
    expect(redLine.body.firings.map((f: { summary: string }) => f.summary)).toEqual([
      "europe's stance on foreign-forces (0) entered russia's unacceptable range",
      "ukraine's stance on foreign-forces (0) entered russia's unacceptable range",
    ]);
    // The example was imported in one append: judged as recorded, it is one change, in which the
    // gap first appears (at 74.4, above the threshold): that fires (issue 30: first positions).
    const recorded = await replay({ kind: 'gap_threshold', a: 'us', b: 'ukraine', threshold: 74.2 }, 'recorded');
    expect(recorded.body.firings.map((f: { summary: string; before: unknown }) => [f.summary, f.before])).toEqual([['gap us–ukraine appeared at 74.4, at or above 74.2', { kind: 'gap', value: null }]]);
    expect((await call(app.url, 'GET', '/negotiations/ukraine-2025/alerts')).body.alerts).toEqual([]);
  });
});

describe('alerts across a projector restart', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('fires exactly once per crossing, whichever process judged it', async () => {
    const start = () => startTestApp({ ...ENV }, database);
    const first = await start();
    const post = (url: string, events: unknown[]) => call(url, 'POST', '/negotiations/restart/events', { json: { events } });
    await post(first.url, [...setup(), stated('us', 'crimea', 0, '2025-04-01'), stated('ukraine', 'crimea', 0, '2025-04-01')]);
    await call(first.url, 'POST', '/negotiations/restart/alert-rules', {
      json: { name: 'g', rule: { kind: 'gap_threshold', a: 'us', b: 'ukraine', issue: 'crimea', threshold: 50 } },
    });
    await post(first.url, [stated('us', 'crimea', 60, '2025-04-02')]);
    const before = (await call(first.url, 'GET', '/negotiations/restart/alerts')).body.alerts;
    expect(before).toHaveLength(1);
    await first.app.close();

    const second = await start();
    try {
      expect((await call(second.url, 'GET', '/negotiations/restart/alerts')).body.alerts).toEqual(before);
      await post(second.url, [stated('us', 'crimea', 10, '2025-04-03')]);
      const after = (await call(second.url, 'GET', '/negotiations/restart/alerts')).body.alerts;
      expect(after.map((a: { data: { after: { value: number } } }) => a.data.after.value)).toEqual([60, 10]);
    } finally {
      await second.app.close();
    }
  });
});

describe('alerts on an append larger than a projector batch', () => {
  it('judges the append once, as a whole, however many batches project it', async () => {
    const app = await startTestApp({ ...ENV, PARLEY_PROJECTOR_BATCH: '7' });
    try {
      const post = (events: unknown[]) => call(app.url, 'POST', '/negotiations/long/events', { json: { events } });
      await post([...setup(), stated('us', 'crimea', 0, '2025-04-01'), stated('ukraine', 'crimea', 0, '2025-04-01')]);
      await call(app.url, 'POST', '/negotiations/long/alert-rules', {
        json: { name: 'g', rule: { kind: 'gap_threshold', a: 'us', b: 'ukraine', issue: 'crimea', threshold: 50 } },
      });
      // 60 events in one append, spread over 9 batches; the gap crosses 50 and back many times
      // inside it, but only the append's end counts: 0 → 80.
      const many = Array.from({ length: 60 }, (_, i) => stated('us', 'crimea', i === 59 ? 80 : (i % 2) * 90, `2025-04-02T00:${String(i).padStart(2, '0')}:00Z`));
      const answer = await post(many);
      expect(answer.status).toBe(201);
      const fired = (await call(app.url, 'GET', '/negotiations/long/alerts')).body.alerts as { data: any }[];
      expect(fired).toHaveLength(1);
      expect(fired[0]!.data).toMatchObject({ before: { value: 0 }, after: { value: 80 }, triggeringEvent: { globalPosition: answer.body.events[59].globalPosition } });
    } finally {
      await app.close();
    }
  });
});
