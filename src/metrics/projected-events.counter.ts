import { Injectable } from '@nestjs/common';
import { EventStore } from '../event-store/event-store';
import type { StoredEvent } from '../event-store/types';
import type { BatchConsumer } from '../projection-runner/batch-consumer';
import { Metrics } from './metrics';

/**
 * `parley_events_appended_total` counts what the log received, by type, from the projector:
 * appends by any writer (HTTP, the CLI, alert firings, other instances) pass through it once,
 * wherever the batch was projected. Every type starts at zero. A batch consumer (app.module).
 */
@Injectable()
export class ProjectedEventsCounter implements BatchConsumer {
  constructor(
    private readonly metrics: Metrics,
    store: EventStore,
  ) {
    metrics.initialise(store.registry.types());
  }

  projected(events: StoredEvent[]): void {
    for (const event of events) this.metrics.eventsAppended.inc({ type: event.type });
  }
}
