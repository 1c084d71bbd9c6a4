import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from './platform';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { scenarioNameSchema } from '../negotiation/domain/scenarios';
import { parseNdjson } from '../negotiation/writing/ndjson';
import type { ReadContext } from '../projection-runner/read-gate';
import { GetScenarioDiff } from '../scenarios/scenario-diff.query';
import { diffParams, hypotheticalRequestSchema, openScenarioSchema, rebaseScenarioSchema, scenarioListParams } from '../scenarios/scenario-requests';
import { AppendHypothetical, CloseScenario, GetScenario, ListScenarios, OpenScenario, RebaseScenario } from '../scenarios/scenarios.commands';
import { parseWith } from '../shared/parse-with';
import { callerOf } from './auth/caller';
import { NDJSON_TYPES, requireContentType } from './content-type';
import { importParams } from './params';
import { ReadAt } from './read-context';
import { answer } from './write-answer';

/**
 * Scenario branches (contract v4): a branch sees the record up to its base and its own
 * hypothetical events; every as-of read takes `scenario=<name>`. Branches never enter the
 * record's reads, feed, alerts or exports. Opening, appending, rebasing and closing take a
 * writer key: a branch is an analyst's working copy, not the record, so review does not apply.
 */
@ApiTags('scenarios')
@ApiBearerAuth()
@Controller('negotiations/:nid/scenarios')
export class ScenariosController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  async open(@Param('nid') nid: string, @Body() body: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { name, from, description } = parseWith(openScenarioSchema, body);
    const info = await this.commands.execute(new OpenScenario(parseWith(negotiationIdSchema, nid, ['nid']), name, from, description, callerOf(request).name ?? null));
    response.status(201);
    return info;
  }

  @Get()
  list(@Param('nid') nid: string, @Query() query: unknown) {
    const { status } = parseWith(scenarioListParams, query);
    return this.queries.execute(new ListScenarios(parseWith(negotiationIdSchema, nid, ['nid']), status));
  }

  @Get(':name')
  describe(@Param('nid') nid: string, @Param('name') name: string) {
    return this.queries.execute(new GetScenario(parseWith(negotiationIdSchema, nid, ['nid']), parseWith(scenarioNameSchema, name, ['name'])));
  }

  @Post(':name/events')
  async append(@Param('nid') nid: string, @Param('name') name: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    requireContentType(request, ['application/json']);
    const id = parseWith(negotiationIdSchema, nid, ['nid']);
    const scenario = parseWith(scenarioNameSchema, name, ['name']);
    const body = parseWith(hypotheticalRequestSchema, request.body);
    const outcome = await this.commands.execute(new AppendHypothetical(id, scenario, body.events, body.expectedVersion, callerOf(request).name ?? null));
    return answer(outcome, response);
  }

  // Express 5 would read ":import" as a route parameter: the colon is escaped.
  @Post(':name/events::import')
  async import(@Param('nid') nid: string, @Param('name') name: string, @Query() query: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    requireContentType(request, NDJSON_TYPES);
    const id = parseWith(negotiationIdSchema, nid, ['nid']);
    const scenario = parseWith(scenarioNameSchema, name, ['name']);
    const { expectedVersion } = parseWith(importParams, query);
    const lines = await parseNdjson(typeof request.body === 'string' ? request.body : '', id);
    const outcome = await this.commands.execute(new AppendHypothetical(id, scenario, lines.map((l) => l.event), expectedVersion, callerOf(request).name ?? null, lines.map((l) => l.line)));
    return answer(outcome, response);
  }

  @Post(':name/rebase')
  @HttpCode(200)
  rebase(@Param('nid') nid: string, @Param('name') name: string, @Body() body: unknown, @Req() request: Request) {
    const { from } = parseWith(rebaseScenarioSchema, body ?? {});
    return this.commands.execute(new RebaseScenario(parseWith(negotiationIdSchema, nid, ['nid']), parseWith(scenarioNameSchema, name, ['name']), from, callerOf(request).name ?? null));
  }

  @Delete(':name')
  close(@Param('nid') nid: string, @Param('name') name: string, @Req() request: Request) {
    return this.commands.execute(new CloseScenario(parseWith(negotiationIdSchema, nid, ['nid']), parseWith(scenarioNameSchema, name, ['name']), callerOf(request).name ?? null));
  }

  @Get(':name/diff')
  diff(@Param('nid') nid: string, @Param('name') name: string, @Query() query: unknown, @ReadAt() read: ReadContext) {
    const { between, ...asOf } = parseWith(diffParams, query);
    return this.queries.execute(new GetScenarioDiff(parseWith(negotiationIdSchema, nid, ['nid']), parseWith(scenarioNameSchema, name, ['name']), asOf, between, read));
  }
}
