import { IdConflict } from './errors';

/** An event ready to append: validated, with its id. */
export interface PreparedEvent {
  id: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Record<string, unknown>;
  occurredAt: Date;
}

/** What identifies an event's content: the same id with other content is a conflict. */
const content = (event: PreparedEvent) =>
  JSON.stringify([event.type, event.occurredAt.getTime(), event.data, event.metadata.source ?? null]);

/**
 * The batch without repeats: an id given twice with the same content is one event (both
 * places are answered with its position); twice with other content, an IdConflict. Whether
 * an id is already stored is the database's to say (parley_append), under the lock.
 */
export function withoutTwins(batch: PreparedEvent[]): PreparedEvent[] {
  const seen = new Map<string, PreparedEvent>();
  for (const event of batch) {
    const twin = seen.get(event.id);
    if (!twin) seen.set(event.id, event);
    else if (content(twin) !== content(event)) throw new IdConflict(event.id);
  }
  return [...seen.values()];
}
