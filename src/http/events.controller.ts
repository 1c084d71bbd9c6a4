import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from './platform';
import { QueryBus } from '@nestjs/cqrs';
import { ReadEvents } from '../negotiation/reading/read-events.query';
import { callerOf, isReviewer } from './auth/caller';
import { parseWith } from '../shared/parse-with';
import { ReadAt } from './read-context';
import type { ReadContext } from '../projection-runner/read-gate';
import { pageFormatParams } from '../negotiation/reading/as-of-params';
import { EVENT_COLUMNS, csvFile, eventRows, wantsCsv } from './tabular';

/** The whole log, every stream, in global order. */
@Controller('events')
export class EventsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  async page(@Query() query: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response, @ReadAt() read: ReadContext) {
    const { after, limit, format, before } = parseWith(pageFormatParams, query);
    const page = await this.queries.execute(new ReadEvents(after, limit, undefined, before, read, !isReviewer(callerOf(request).role)));
    if (!wantsCsv(request, format)) return page;
    // CSV has no room for `next`: it rides in a header.
    response.header('Parley-Next', page.next === null ? '' : String(page.next));
    return csvFile(eventRows(page.events), EVENT_COLUMNS, 'events.csv');
  }
}
