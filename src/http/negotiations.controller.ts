import { callerOf } from './auth/caller';
import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from './platform';
import { AppendEvents } from '../negotiation/writing/append-events.command';
import { ImportEvents } from '../negotiation/writing/import-events.command';
import { parseNdjson } from '../negotiation/writing/ndjson';
import { appendRequestSchema, negotiationIdSchema } from '../negotiation/domain/requests';
import { GetNegotiation } from '../negotiation/reading/get-negotiation.query';
import { ListNegotiations } from '../negotiation/reading/list-negotiations.query';
import { ReadEvents } from '../negotiation/reading/read-events.query';
import { GetVersion, versionSchema } from '../negotiation/reading/get-version.query';
import { NDJSON_TYPES, requireContentType } from './content-type';
import { ReadAt } from './read-context';
import { answer } from './write-answer';
import { ReviewRequired, SubmitProposal } from '../review/review.commands';
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
    const { knownAt, version, scenario } = parseWith(negotiationParams, query);
    return this.queries.execute(new GetNegotiation(parseWith(negotiationIdSchema, nid, ['nid']), knownAt, version, read, scenario));
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
    response.header('Parley-Next', page.next === null ? '' : String(page.next));
    return csvFile(eventRows(page.events), EVENT_COLUMNS, `${id}-events.csv`);
  }

  @Post(':nid/events')
  async append(@Param('nid') nid: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    requireContentType(request, ['application/json']);
    const id = parseWith(negotiationIdSchema, nid, ['nid']);
    const body = parseWith(appendRequestSchema, request.body);
    const caller = callerOf(request);
    if (await this.proposes(caller.role, id)) {
      return this.propose(response, new SubmitProposal(id, body.events, caller.name ?? null));
    }
    const outcome = await this.commands.execute(new AppendEvents(id, body.events, body.expectedVersion, caller.name ?? null));
    return answer(outcome, response);
  }

  // Express 5 would read ":import" as a route parameter: the colon is escaped.
  @Post(':nid/events::import')
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
    const caller = callerOf(request);
    if (await this.proposes(caller.role, id)) {
      return this.propose(response, new SubmitProposal(id, lines.map((l) => l.event), caller.name ?? null));
    }
    const outcome = await this.commands.execute(new ImportEvents(id, lines, expectedVersion, caller.name ?? null));
    return answer(outcome, response);
  }

  /** A writer's append to a negotiation that requires review becomes a proposal (admins append). */
  private async proposes(role: string, negotiationId: string): Promise<boolean> {
    return role === 'writer' && (await this.queries.execute(new ReviewRequired(negotiationId)));
  }

  private async propose(response: Response, command: SubmitProposal) {
    const { proposal } = await this.commands.execute(command);
    response.status(202);
    return { proposal };
  }
}
