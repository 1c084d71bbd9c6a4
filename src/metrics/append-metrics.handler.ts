import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { EventsAppended } from '../negotiation/writing/events-appended';
import { Metrics } from './metrics';

@EventsHandler(EventsAppended)
export class AppendMetricsHandler implements IEventHandler<EventsAppended> {
  constructor(private readonly metrics: Metrics) {}

  handle({ types, durationMs }: EventsAppended): void {
    for (const type of types) this.metrics.eventsAppended.inc({ type });
    this.metrics.appendDuration.observe(durationMs / 1000);
  }
}
