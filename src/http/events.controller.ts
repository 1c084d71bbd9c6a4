import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ReadEvents } from '../negotiation/reading/read-events.query';
import { parseWith } from '../negotiation/domain/parse';
import { pageParams } from '../negotiation/reading/as-of-params';

/** The whole log, every stream, in global order. */
@Controller('events')
export class EventsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  page(@Query() query: unknown) {
    const { after, limit } = parseWith(pageParams, query);
    return this.queries.execute(new ReadEvents(after, limit));
  }
}
