import { alertLabels, EDGE_ALERT_HOLD_MS, LEVEL_ALERT_RESENDS_AHEAD } from '../../../src/alerting/alert-labels';
import { alertmanagerAlertsUrl, postableAlert } from '../../../src/alerting/alertmanager-payload';
import type { Firing } from '../../../src/alerting/judge-append';
import { webhookPayload } from '../../../src/alerting/webhook-payload';
import type { StoredEvent } from '../../../src/event-store/types';

const rule = { ruleId: 'r1', negotiationId: 'talks', name: 'crimea apart', definition: { kind: 'gap_threshold', a: 'us', b: 'ukraine', issue: 'crimea' } };
const at = new Date('2025-04-20T10:00:00Z');
const firing = (type: Firing['type'], extra: Partial<Firing> = {}): Firing =>
  ({
    type,
    rule: { ...rule, definition: { kind: 'gap_threshold', a: 'us', b: 'ukraine', issue: 'crimea', threshold: 50, direction: 'up' }, webhook: null, alertmanager: null },
    triggeringEvent: { id: 'e1', globalPosition: 7, type: 'PositionStated' },
    at,
    knownAt: at,
    before: { kind: 'gap', value: 40 },
    after: { kind: 'gap', value: 60 },
    summary: 'gap us–ukraine on crimea rose to 60, crossing 50 (was 40)',
    ...extra,
  }) as Firing;
const event = (id: string): StoredEvent => ({
  id,
  streamId: 'talks.alerts',
  streamVersion: 1,
  globalPosition: 8,
  type: 'AlertFired',
  schemaVersion: 1,
  data: { rule: 'r1' },
  metadata: {},
  occurredAt: at,
  recordedAt: at,
  endsAppend: true,
});

describe('alert labels', () => {
  it('name the rule, its negotiation, kind, pair and issue, stably, so a re-send and its resolution name one alert', () => {
    expect(alertLabels(rule, 'AlertFired', '')).toEqual({ alertname: 'crimea apart', negotiation: 'talks', rule: 'r1', kind: 'gap_threshold', severity: 'warning', pair: 'us-ukraine', issue: 'crimea' });
    expect(alertLabels(rule, 'AlertRestated').severity).toBe('info');
    expect(alertLabels({ ...rule, definition: { kind: 'red_line', party: 'russia', issue: 'nato' } }, 'AlertFired', 'ukraine')).toMatchObject({ issue: 'nato', party: 'ukraine' });
    expect(alertLabels({ ...rule, definition: { kind: 'red_line', parties: ['us', 'russia'], issue: 'nato' } }, 'AlertFired')).toMatchObject({ pair: 'us-russia' });
  });
});

describe('the webhook payload (Alertmanager receiver format, version 4)', () => {
  it('fires with the firing event as fingerprint and no end, and carries the CloudEvents envelope', () => {
    const payload = webhookPayload(firing('AlertFired', { key: '' }), event('f1'), 'http://parley.example');
    expect(payload).toMatchObject({ version: '4', status: 'firing', receiver: 'parley', groupLabels: { rule: 'r1' }, externalURL: 'http://parley.example' });
    expect(payload.alerts[0]).toMatchObject({
      status: 'firing',
      startsAt: '2025-04-20T10:00:00.000Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://parley.example/negotiations/talks/alerts',
      fingerprint: 'f1',
    });
    expect(JSON.parse(payload.alerts[0]!.annotations.description)).toEqual({ before: { kind: 'gap', value: 40 }, after: { kind: 'gap', value: 60 } });
    expect(payload.cloudevent.type).toBe('parley.AlertFired');
  });

  it('resolves under the fingerprint of the firing it closes, from its start to the resolving change', () => {
    const started = new Date('2025-04-18T00:00:00Z');
    const payload = webhookPayload(firing('AlertResolved', { key: '', resolves: 'f1', startsAt: started }), event('r9'), 'http://parley.example');
    expect(payload.status).toBe('resolved');
    expect(payload.alerts[0]).toMatchObject({ status: 'resolved', fingerprint: 'f1', startsAt: started.toISOString(), endsAt: at.toISOString() });
  });
});

describe('the Alertmanager alert (PostableAlert)', () => {
  const options = { externalUrl: 'http://parley.example', resendMs: 60_000 };

  it('holds an edge alert for an hour, never re-sent', () => {
    const alert = postableAlert(firing('AlertFired'), options);
    expect(alert.endsAt).toBe(new Date(at.getTime() + EDGE_ALERT_HOLD_MS).toISOString());
    expect(alert.annotations).toMatchObject({ summary: firing('AlertFired').summary, event: 'http://parley.example/negotiations/talks/events?after=6&limit=1' });
  });

  it('ends a level alert a few re-sends ahead of now, and its resolution at the change, under the same labels', () => {
    const now = new Date('2025-04-20T11:00:00Z');
    const open = postableAlert(firing('AlertFired', { key: '' }), { ...options, now });
    expect(open.endsAt).toBe(new Date(now.getTime() + LEVEL_ALERT_RESENDS_AHEAD * 60_000).toISOString());
    const resolved = postableAlert(firing('AlertResolved', { key: '', startsAt: new Date('2025-04-19T00:00:00Z') }), options);
    expect(resolved.endsAt).toBe(at.toISOString());
    expect(resolved.startsAt).toBe('2025-04-19T00:00:00.000Z');
    expect(resolved.labels).toEqual(open.labels);
  });

  it('posts to /api/v2/alerts under the base URL, however it ends', () => {
    expect(alertmanagerAlertsUrl('http://am:9093')).toBe('http://am:9093/api/v2/alerts');
    expect(alertmanagerAlertsUrl('http://am:9093/prefix//')).toBe('http://am:9093/prefix/api/v2/alerts');
  });
});
