import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EventStore } from '../event-store/event-store';
import { ProjectionsService } from '../projection-runner/projections.service';
import { Metrics } from './metrics';

/**
 * `parley_events_appended_total` counts what the log received, by type, from the projector:
 * appends by any writer (HTTP, the CLI, alert firings, other instances) pass through it once,
 * wherever the batch was projected. Every type starts at zero.
 */
@Injectable()
export class ProjectedEventsCounter implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly projections: ProjectionsService,
    private readonly store: EventStore,
  ) {}

  onModuleInit(): void {
    this.metrics.initialise(this.store.registry.types());
    this.projections.onProjected((events) => {
      for (const event of events) this.metrics.eventsAppended.inc({ type: event.type });
    });
  }
}
