import { eventJson } from '../../../src/negotiation/reading/event-json';
import type { StoredEvent } from '../../../src/event-store/types';

const stored = (extra: Partial<StoredEvent> = {}): StoredEvent => ({
  id: '0195d3a0-0000-7000-8000-000000000007',
  streamId: 'talks',
  streamVersion: 4,
  globalPosition: 17,
  type: 'PositionStated',
  schemaVersion: 1,
  data: { party: 'us', issue: 'crimea', value: 70 },
  metadata: {},
  occurredAt: new Date('2025-04-17T10:00:00Z'),
  recordedAt: new Date('2025-04-17T10:00:01.234Z'),
  endsAppend: true,
  ...extra,
});

describe('eventJson: an event as every reader sees it (GET …/events, the feed)', () => {
  it('shows the contract\'s fields, instants in UTC with milliseconds, no source as null, instant precision by default', () => {
    expect(eventJson(stored())).toEqual({
      id: '0195d3a0-0000-7000-8000-000000000007',
      negotiation: 'talks',
      type: 'PositionStated',
      occurredAt: '2025-04-17T10:00:00.000Z',
      datePrecision: 'instant',
      recordedAt: '2025-04-17T10:00:01.234Z',
      data: { party: 'us', issue: 'crimea', value: 70 },
      source: null,
      globalPosition: 17,
      streamVersion: 4,
      codedBy: null,
      reviewedBy: null,
    });
  });

  it('carries who coded and who reviewed it from the metadata the server set', () => {
    expect(eventJson(stored({ metadata: { codedBy: 'alice', reviewedBy: 'rita' } }))).toMatchObject({ codedBy: 'alice', reviewedBy: 'rita' });
  });

  it('carries the source and the date precision from the metadata', () => {
    const json = eventJson(stored({ metadata: { source: { publisher: 'Reuters', url: 'https://r.example/1' }, datePrecision: 'week' } }));
    expect(json.source).toEqual({ publisher: 'Reuters', url: 'https://r.example/1' });
    expect(json.datePrecision).toBe('week');
  });

  it('never shows a webhook URL whole: scheme and host only, as rules saved before redaction stored it', () => {
    const json = eventJson(stored({ type: 'AlertRuleCreated', streamId: 'talks.rules', data: { rule: 'r1', webhookUrl: 'https://hooks.example.com/secret/path?token=abc' } }));
    expect(json.data).toEqual({ rule: 'r1', webhookUrl: 'https://hooks.example.com/…' });
    expect(JSON.stringify(json)).not.toMatch(/secret|token=abc/);
  });
});
