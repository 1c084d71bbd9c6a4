import type { StoredEvent } from '../../event-store/types';
import { redactUrl } from '../../outbound/allow-list';
import type { Source } from '../domain/events';

/**
 * Event data as every reader may see it: a `webhookUrl` (alert rules) shows scheme and host
 * only. New rules store it so; rules saved before that kept the full URL in the event.
 */
function publicData(data: unknown): unknown {
  if (data === null || typeof data !== 'object' || typeof (data as { webhookUrl?: unknown }).webhookUrl !== 'string') return data;
  return { ...data, webhookUrl: redactUrl((data as { webhookUrl: string }).webhookUrl) };
}

/** The public JSON of an event (GET …/events, the feed). */
export function eventJson(event: StoredEvent) {
  return {
    id: event.id,
    negotiation: event.streamId,
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    datePrecision: (event.metadata.datePrecision as string | undefined) ?? 'instant',
    recordedAt: event.recordedAt.toISOString(),
    data: publicData(event.data),
    source: (event.metadata.source as Source | undefined) ?? null,
    globalPosition: event.globalPosition,
    streamVersion: event.streamVersion,
    // Set by the server from the writer's key (or the CLI's --as), never by the request.
    codedBy: (event.metadata.codedBy as string | undefined) ?? null,
    reviewedBy: (event.metadata.reviewedBy as string | undefined) ?? null,
  };
}
