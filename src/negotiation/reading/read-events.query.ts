import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '../../event-store/event-store';
import type { StoredEvent } from '../../event-store/types';
import { isReviewStream } from '../domain/streams';
import { eventJson } from './event-json';
import { ReadGate, type ReadContext } from '../../projection-runner/read-gate';
import { negotiationCheck } from './open-as-of';

export class ReadEvents extends Query<{ events: ReturnType<typeof eventJson>[]; next: number | null; previous?: number | null }> {
  constructor(
    readonly after: number,
    readonly limit: number,
    readonly negotiationId?: string,
    /** Read backwards: the page just before this position (the newest events first to show). */
    readonly before?: number,
    readonly read?: ReadContext,
    /** Leave out `<nid>.review` events (proposals): for callers who are not reviewers. */
    readonly hideReview = false,
  ) {
    super();
  }
}

/**
 * A page of the log in global order. `next` is the position to pass as `after` for the next
 * page, or null when this page reached the head (a tailing reader keeps its last position).
 */
@QueryHandler(ReadEvents)
export class ReadEventsHandler implements IQueryHandler<ReadEvents> {
  constructor(
    private readonly primary: EventStore,
    private readonly gate: ReadGate,
  ) {}

  async execute({ after, limit, negotiationId, before, read, hideReview }: ReadEvents) {
    // Paging is decided on the log itself; what is shown may leave review events out.
    const shown = (events: StoredEvent[]) => (hideReview ? events.filter((e) => !isReviewStream(e.streamId)) : events).map(eventJson);
    // Pages may come from a replica's log (read-only: a store over it never appends). A
    // negotiation's page waits for nothing but the log: only the 404 is asked of the gate.
    const db = await this.gate.openLog(read, negotiationId === undefined ? undefined : { id: negotiationId, check: negotiationCheck(negotiationId) });
    const store = this.primary.over(db);
    const stream = negotiationId ? { streamId: negotiationId } : {};
    if (before !== undefined) {
      // Backwards: `previous` is the `before` of the page older than this one.
      const page = await store.readBefore(before, { limit, ...stream });
      return { events: shown(page), next: null, previous: page.length === limit ? page[0]!.globalPosition : null };
    }
    const events = await store.readAll({ after, limit, ...stream });
    const full = events.length === limit;
    return {
      events: shown(events),
      next: full ? events[events.length - 1]!.globalPosition : null,
    };
  }
}
