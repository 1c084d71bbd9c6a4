import { callerOf } from './auth/caller';
import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { AppendEvents } from '../negotiation/writing/append-events.command';
import { ImportEvents } from '../negotiation/writing/import-events.command';
import { parseNdjson } from '../negotiation/writing/ndjson';
import type { WriteOutcome } from '../negotiation/writing/negotiation-writer';
import { appendRequestSchema, negotiationIdSchema } from '../negotiation/domain/requests';
import { GetNegotiation } from '../negotiation/reading/get-negotiation.query';
import { ListNegotiations } from '../negotiation/reading/list-negotiations.query';
import { ReadEvents } from '../negotiation/reading/read-events.query';
import { GetVersion, versionSchema } from '../negotiation/reading/get-version.query';
import { NDJSON_TYPES, requireContentType } from './content-type';
import { POSITION_HEADER, ReadAt } from './read-context';
import type { ReadContext } from '../projection-runner/read-gate';
import { parseWith } from '../shared/parse-with';
import { CachedAsOf } from './as-of-cache';
import { pageFormatParams } from '../negotiation/reading/as-of-params';
import { EVENT_COLUMNS, csvFile, eventRows, wantsCsv } from './tabular';
import { importParams, negotiationParams } from './params';


@ApiTags('negotiations')
@ApiBearerAuth()
@Controller('negotiations')
export class NegotiationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  list() {
    return this.queries.execute(new ListNegotiations());
  }

  @Get(':nid')
  @CachedAsOf({ usesAt: false })
  get(@Param('nid') nid: string, @Query() query: unknown, @ReadAt() read: ReadContext) {
    const { knownAt, version } = parseWith(negotiationParams, query);
    return this.queries.execute(new GetNegotiation(parseWith(negotiationIdSchema, nid, ['nid']), knownAt, version, read));
  }

  /** A citable version: the SHA-256 of events 1..n as facts, equal on any installation. */
  @Get(':nid/versions/:n')
  version(@Param('nid') nid: string, @Param('n') n: string) {
    const version = parseWith(versionSchema, n, ['n']);
    return this.queries.execute(new GetVersion(parseWith(negotiationIdSchema, nid, ['nid']), version));
  }

  @Get(':nid/events')
  async events(@Param('nid') nid: string, @Query() query: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response, @ReadAt() read: ReadContext) {
    const { after, limit, format, before } = parseWith(pageFormatParams, query);
    const id = parseWith(negotiationIdSchema, nid, ['nid']);
    const page = await this.queries.execute(new ReadEvents(after, limit, id, before, read));
    if (!wantsCsv(request, format)) return page;
    response.setHeader('Parley-Next', page.next === null ? '' : String(page.next));
    return csvFile(eventRows(page.events), EVENT_COLUMNS, `${id}-events.csv`);
  }

  @Post(':nid/events')
  async append(@Param('nid') nid: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    requireContentType(request, ['application/json']);
    const id = parseWith(negotiationIdSchema, nid, ['nid']);
    const body = parseWith(appendRequestSchema, request.body);
    const outcome = await this.commands.execute(new AppendEvents(id, body.events, body.expectedVersion, callerOf(request).name ?? null));
    return answer(outcome, response);
  }

  // Express 5 would read ":import" as a route parameter: the colon is escaped.
  @Post(':nid/events\\:import')
  async import(
    @Param('nid') nid: string,
    @Query() query: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    requireContentType(request, NDJSON_TYPES);
    const id = parseWith(negotiationIdSchema, nid, ['nid']);
    const { expectedVersion } = parseWith(importParams, query);
    const text = typeof request.body === 'string' ? request.body : '';
    const lines = await parseNdjson(text, id);
    const outcome = await this.commands.execute(new ImportEvents(id, lines, expectedVersion, callerOf(request).name ?? null));
    return answer(outcome, response);
  }
}

/**
 * 201 when something was appended; 200 for a retry whose events were all stored already.
 * `Parley-Position` is the highest position written or matched: a read that sends it back as
 * `Parley-Min-Position` sees this write on any instance.
 */
function answer(outcome: WriteOutcome, response: Response) {
  response.status(outcome.created ? 201 : 200);
  // A reduce, not Math.max(...positions): spread arguments overflow the stack past ~120k events.
  response.setHeader(POSITION_HEADER, String(outcome.events.reduce((highest, e) => Math.max(highest, e.globalPosition), 0)));
  return {
    streamVersion: outcome.streamVersion,
    events: outcome.events,
    appended: outcome.appended,
    skipped: outcome.skipped,
  };
}
