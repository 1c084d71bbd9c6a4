import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { slugSchema } from '../negotiation/domain/events';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { GetConcessions, GetHistory, GetOutcomes, GetZones } from '../negotiation/analysis/analysis.queries';
import { parseWith } from '../shared/parse-with';
import { CachedAsOf } from './as-of-cache';
import { ReadAt } from './read-context';
import type { ReadContext } from '../projection-runner/read-gate';
import { gapsParams, outcomeParams } from '../negotiation/reading/as-of-params';
import { concessionParams, historyParams } from './params';


/** Analyses beyond the contract (docs/metrics.md): zones of agreement, outcomes, concessions, histories. */
@ApiTags('analysis')
@ApiBearerAuth()
@Controller('negotiations/:nid')
export class AnalysisController {
  constructor(private readonly queries: QueryBus) {}

  @Get('zones')
  @CachedAsOf({ usesAt: true })
  zones(@Param('nid') nid: string, @Query() query: unknown, @ReadAt() read: ReadContext) {
    const { between, ...asOf } = parseWith(gapsParams, query);
    return this.queries.execute(new GetZones(parseWith(negotiationIdSchema, nid, ['nid']), asOf, between, read));
  }

  @Get('outcomes')
  @CachedAsOf({ usesAt: true })
  outcomes(@Param('nid') nid: string, @Query() query: unknown, @ReadAt() read: ReadContext) {
    const { model, ...asOf } = parseWith(outcomeParams, query);
    return this.queries.execute(new GetOutcomes(parseWith(negotiationIdSchema, nid, ['nid']), asOf, model, read));
  }

  @Get('concessions')
  @CachedAsOf({ usesAt: false })
  concessions(@Param('nid') nid: string, @Query() query: unknown, @ReadAt() read: ReadContext) {
    const { party, toward, from, to, ...asOf } = parseWith(concessionParams, query);
    return this.queries.execute(new GetConcessions(parseWith(negotiationIdSchema, nid, ['nid']), party, toward, from, to, asOf, read));
  }

  @Get('parties/:party/history')
  @CachedAsOf({ usesAt: false })
  history(@Param('nid') nid: string, @Param('party') party: string, @Query() query: unknown, @ReadAt() read: ReadContext) {
    const { issue, ...asOf } = parseWith(historyParams, query);
    return this.queries.execute(new GetHistory(parseWith(negotiationIdSchema, nid, ['nid']), parseWith(slugSchema, party, ['party']), asOf, issue, read));
  }
}
