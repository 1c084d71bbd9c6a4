import { isDeepStrictEqual } from 'node:util';
import type { EventRow } from '../database/schema';
import { IdConflict } from './errors';
import type { AppendedEvent } from './types';

/** An event ready to append: validated, with its id, normalised as jsonb will give it back. */
export interface PreparedEvent {
  id: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Record<string, unknown>;
  occurredAt: Date;
}

/**
 * Separates events already stored (same id and same content: skipped, answered with their
 * positions) from new ones. The same id with other content, or twice in one batch with
 * different content, is an IdConflict.
 */
export function splitKnown(
  stored: EventRow[],
  streamId: string,
  batch: PreparedEvent[],
): { fresh: PreparedEvent[]; known: Map<string, AppendedEvent> } {
  const byId = new Map(stored.map((row) => [row.id, row]));
  const known = new Map<string, AppendedEvent>();
  const fresh: PreparedEvent[] = [];
  const inBatch = new Map<string, PreparedEvent>();
  for (const event of batch) {
    const row = byId.get(event.id);
    if (row) {
      if (!sameContent(row, streamId, event)) throw new IdConflict(event.id);
      known.set(event.id, {
        id: row.id,
        globalPosition: Number(row.global_position),
        streamVersion: row.stream_version,
      });
      continue;
    }
    const twin = inBatch.get(event.id);
    if (twin) {
      if (!isDeepStrictEqual({ ...twin }, { ...event })) throw new IdConflict(event.id);
      continue;
    }
    inBatch.set(event.id, event);
    fresh.push(event);
  }
  return { fresh, known };
}

function sameContent(row: EventRow, streamId: string, event: PreparedEvent): boolean {
  return (
    row.stream_id === streamId &&
    row.type === event.type &&
    row.occurred_at.getTime() === event.occurredAt.getTime() &&
    isDeepStrictEqual(row.data, event.data) &&
    // Other metadata (correlation ids, ...) traces the request, not the fact: a retry may differ.
    isDeepStrictEqual(row.metadata.source ?? null, event.metadata.source ?? null)
  );
}
