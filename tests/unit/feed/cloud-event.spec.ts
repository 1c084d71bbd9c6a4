import { CloudEvent, HTTP } from 'cloudevents';
import { toCloudEvent } from '../../../src/feed/cloud-event';
import type { StoredEvent } from '../../../src/event-store/types';

const stored = (streamId: string): StoredEvent => ({
  id: '0195d3a0-0000-7000-8000-000000000042',
  streamId,
  streamVersion: 3,
  globalPosition: 42,
  type: 'PositionStated',
  schemaVersion: 1,
  data: { party: 'us', issue: 'crimea', value: 70 },
  metadata: { source: { publisher: 'Reuters' } },
  occurredAt: new Date('2025-04-17T10:00:00Z'),
  recordedAt: new Date('2025-04-17T10:05:00Z'),
  endsAppend: true,
});

describe('toCloudEvent: each event as a CloudEvents 1.0 envelope', () => {
  it('is a valid envelope to the cloudevents SDK, read back strictly from its JSON', () => {
    const envelope = toCloudEvent(stored('ukraine-2025'));
    const read = new CloudEvent(JSON.parse(JSON.stringify(envelope)), true);
    expect(read).toMatchObject({
      specversion: '1.0',
      id: '0195d3a0-0000-7000-8000-000000000042',
      source: '/negotiations/ukraine-2025',
      type: 'parley.PositionStated',
      subject: 'ukraine-2025',
      time: '2025-04-17T10:00:00.000Z',
      datacontenttype: 'application/json',
      parleyposition: 42,
    });
    expect(read.data).toMatchObject({ id: '0195d3a0-0000-7000-8000-000000000042', type: 'PositionStated', data: { party: 'us', value: 70 }, source: { publisher: 'Reuters' } });
  });

  it('carries the append\'s trace in the distributed-tracing extension, through the SDK\'s binary mode', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const envelope = toCloudEvent({ ...stored('ukraine-2025'), metadata: { traceparent } });
    expect(envelope.traceparent).toBe(traceparent);
    const message = HTTP.binary(envelope);
    expect(message.headers['ce-traceparent']).toBe(traceparent);
    expect(HTTP.toEvent(message)).toMatchObject({ traceparent });
    expect(toCloudEvent(stored('ukraine-2025')).traceparent).toBeUndefined();
  });

  it('names a sub-stream (alerts, rules) as its negotiation\'s source, and its own stream as subject', () => {
    const envelope = toCloudEvent(stored('ukraine-2025.alerts'));
    expect(envelope.source).toBe('/negotiations/ukraine-2025');
    expect(envelope.subject).toBe('ukraine-2025.alerts');
  });

  it('travels as a binary HTTP message the SDK reads back', () => {
    const message = HTTP.binary(toCloudEvent(stored('ukraine-2025')));
    const back = HTTP.toEvent(message) as CloudEvent<unknown>;
    expect(back.id).toBe('0195d3a0-0000-7000-8000-000000000042');
    expect(back.type).toBe('parley.PositionStated');
  });
});
