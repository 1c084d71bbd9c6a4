import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { EventsAppended } from '../negotiation/writing/events-appended';
import { Metrics } from './metrics';

@EventsHandler(EventsAppended)
export class AppendMetricsHandler implements IEventHandler<EventsAppended> {
  constructor(private readonly metrics: Metrics) {}

  handle({ durationMs }: EventsAppended): void {
    this.metrics.appendDuration.observe(durationMs / 1000);
  }
}
