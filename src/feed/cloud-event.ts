import { CloudEvent } from 'cloudevents';
import type { StoredEvent } from '../event-store/types';
import { eventJson } from '../negotiation/reading/event-json';
import { negotiationOf } from '../negotiation/domain/streams';

/**
 * An event as a CloudEvents 1.0 envelope: `id` is the event's id, `type` is `parley.<Type>`,
 * `subject` its stream, `time` its occurredAt, and `data` the event as GET /events shows it.
 * The extension `parleyposition` carries the global position; `traceparent` (the CloudEvents
 * distributed-tracing extension) the trace of the append that recorded it, when it was traced.
 */
export function toCloudEvent(event: StoredEvent): CloudEvent<ReturnType<typeof eventJson>> {
  return new CloudEvent({
    id: event.id,
    source: `/negotiations/${negotiationOf(event.streamId)}`,
    type: `parley.${event.type}`,
    subject: event.streamId,
    time: event.occurredAt.toISOString(),
    datacontenttype: 'application/json',
    data: eventJson(event),
    parleyposition: event.globalPosition,
    ...(typeof event.metadata.traceparent === 'string' ? { traceparent: event.metadata.traceparent } : {}),
  });
}
