import { call, startTestApp, type TestApp } from '../../support/app';
import { startAlertmanager } from '../../support/alertmanager';
import { setup, stated } from '../../support/builders';
import { eventually, startReceiver } from '../../support/receiver';

const ENV = { PARLEY_WEBHOOK_ALLOW: '127.0.0.1', PARLEY_WEBHOOK_BACKOFF_MS: '20', PARLEY_ALERTMANAGER_RESEND_MS: '300' };

describe('a level alert, end to end with a real Alertmanager and a webhook receiver', () => {
  let app: TestApp;
  let alertmanager: Awaited<ReturnType<typeof startAlertmanager>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const post = (events: unknown[]) => call(app.url, 'POST', '/negotiations/am/events', { json: { events } });

  beforeAll(async () => {
    [alertmanager, receiver, app] = await Promise.all([startAlertmanager(), startReceiver(), startTestApp(ENV)]);
  });
  afterAll(async () => {
    await app.close();
    await Promise.all([alertmanager.close(), receiver.close()]);
  });

  it('fires, is re-sent while the gap stays above the threshold, and resolves when it falls back', async () => {
    await post([...setup(), stated('us', 'crimea', 50, '2025-04-01'), stated('ukraine', 'crimea', 40, '2025-04-01')]);
    const rule = await call(app.url, 'POST', '/negotiations/am/alert-rules', {
      json: {
        name: 'Crimea apart',
        rule: { kind: 'gap_threshold', a: 'us', b: 'ukraine', issue: 'crimea', threshold: 50, direction: 'up' },
        webhook: { url: receiver.url },
        alertmanager: { url: alertmanager.url },
      },
    });
    expect(rule.status).toBe(201);
    expect((await call(app.url, 'GET', '/negotiations/am/alert-rules')).body.rules[0].alertmanager).toEqual({ url: alertmanager.url });

    await post([stated('us', 'crimea', 100, '2025-04-02')]); // gap 10 → 60: fires
    const mine = async () => (await alertmanager.alerts()).filter((a) => a.labels.rule === rule.body.id);
    const [active] = await eventually(async () => ((await mine()).length === 1 ? mine() : undefined), 'the alert in Alertmanager');
    expect(active!.labels).toEqual({ alertname: 'Crimea apart', negotiation: 'am', rule: rule.body.id, kind: 'gap_threshold', severity: 'warning', pair: 'us-ukraine', issue: 'crimea' });
    expect(active!.annotations).toMatchObject({ summary: expect.stringContaining('rose to 60'), before: '{"kind":"gap","value":10}', after: '{"kind":"gap","value":60}', event: expect.stringContaining('/negotiations/am/events?after=') });
    expect(active!.status.state).toBe('active');
    expect(new Date(active!.endsAt).getTime()).toBeGreaterThan(Date.now());

    // While it lasts, the leader posts it again (Alertmanager stamps updatedAt on each post).
    await eventually(async () => (await mine()).some((a) => a.updatedAt !== active!.updatedAt), 'a re-send');
    // The re-send is the same alert (same labels, so one alert in Alertmanager, not two), and
    // keeps the firing's annotations (Alertmanager keeps the last post's).
    const resent = await mine();
    expect(resent).toHaveLength(1);
    expect(resent[0]!.annotations).toEqual(active!.annotations);

    await post([stated('us', 'crimea', 80, '2025-04-03')]); // gap 40: the condition clears
    await eventually(async () => (await mine()).length === 0, 'Alertmanager to see it resolved');

    const fired = await call(app.url, 'GET', '/negotiations/am/alerts');
    expect(fired.body.alerts.map((a: { type: string }) => a.type)).toEqual(['AlertFired', 'AlertResolved']);
    const [firing, resolution] = fired.body.alerts;
    expect(resolution.data).toMatchObject({ rule: rule.body.id, key: '', firing: firing.id });

    // The webhook got the same alert twice, with one fingerprint: firing, then resolved.
    await eventually(async () => receiver.calls.length >= 2, 'two webhook deliveries');
    const bodies = receiver.calls.map((c) => JSON.parse(c.body));
    expect(bodies.map((b) => [b.status, b.alerts[0].status, b.alerts[0].fingerprint])).toEqual([
      ['firing', 'firing', firing.id],
      ['resolved', 'resolved', firing.id],
    ]);
    expect(bodies[1].alerts[0].endsAt).toBe(resolution.data.at);
    expect(bodies[1].alerts[0].startsAt).toBe(bodies[0].alerts[0].startsAt);
  });

  it('refuses an Alertmanager URL outside PARLEY_WEBHOOK_ALLOW or with credentials', async () => {
    const rule = { kind: 'position_shift', party: 'us', issue: 'crimea', delta: 5 };
    const outside = await call(app.url, 'POST', '/negotiations/am/alert-rules', { json: { name: 'x', rule, alertmanager: { url: 'http://10.0.0.9:9093' } } });
    expect(outside.status).toBe(422);
    expect(outside.body.issues[0].path).toEqual(['alertmanager', 'url']);
    const credentials = await call(app.url, 'POST', '/negotiations/am/alert-rules', { json: { name: 'x', rule, alertmanager: { url: 'http://u:p@127.0.0.1:9093' } } });
    expect(credentials.status).toBe(400);
    expect(credentials.body.issues[0].path).toEqual(['alertmanager', 'url']);
  });
});
