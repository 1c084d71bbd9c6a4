import type { StoredEvent } from '../../event-store/types';
import type { DatePrecision, NegotiationEvent, Source } from './events';

/** A stored event as the domain types it (its source lifted out of the metadata). */
export function toNegotiationEvent(event: StoredEvent): NegotiationEvent {
  const source = event.metadata.source as Source | undefined;
  const datePrecision = event.metadata.datePrecision as DatePrecision | undefined;
  return {
    id: event.id,
    type: event.type,
    data: event.data,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    globalPosition: event.globalPosition,
    streamVersion: event.streamVersion,
    ...(source ? { source } : {}),
    ...(datePrecision ? { datePrecision } : {}),
  } as NegotiationEvent;
}
