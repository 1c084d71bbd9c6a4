import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { GetGapSeries } from '../negotiation/analysis/get-gap-series.query';
import { GetGaps } from '../negotiation/analysis/get-gaps.query';
import { GetStances } from '../negotiation/stances/get-stances.query';
import { parseWith } from '../negotiation/domain/parse';
import { asOfParams, gapsParams, seriesParams } from '../negotiation/reading/as-of-params';

const AT = { name: 'at', required: false, description: 'Valid time: instant or date (end of that UTC day); default now' };
const KNOWN_AT = { name: 'knownAt', required: false, description: 'Recorded time: instant or date; default now' };

/** Stances and gaps as of any (at, knownAt): the bitemporal reads. */
@ApiTags('as-of')
@ApiBearerAuth()
@Controller('negotiations/:nid')
export class AsOfController {
  constructor(private readonly queries: QueryBus) {}

  @Get('stances')
  @ApiQuery(AT)
  @ApiQuery(KNOWN_AT)
  stances(@Param('nid') nid: string, @Query() query: unknown) {
    const id = parseWith(negotiationIdSchema, nid, ['nid']);
    return this.queries.execute(new GetStances(id, parseWith(asOfParams, query)));
  }

  @Get('gaps')
  @ApiQuery(AT)
  @ApiQuery(KNOWN_AT)
  @ApiQuery({ name: 'between', required: false, description: 'Parties, comma-separated: their pairs in that order' })
  gaps(@Param('nid') nid: string, @Query() query: unknown) {
    const id = parseWith(negotiationIdSchema, nid, ['nid']);
    const { between, ...asOf } = parseWith(gapsParams, query);
    return this.queries.execute(new GetGaps(id, asOf, between));
  }

  @Get('gaps/series')
  @ApiQuery({ name: 'between', required: true, description: 'Two parties: a,b' })
  @ApiQuery({ name: 'from', required: true })
  @ApiQuery({ name: 'to', required: true })
  @ApiQuery({ name: 'step', required: false, description: 'ISO 8601 duration, default P1D' })
  @ApiQuery(KNOWN_AT)
  series(@Param('nid') nid: string, @Query() query: unknown) {
    const id = parseWith(negotiationIdSchema, nid, ['nid']);
    const { between, points, knownAt, publicAt } = parseWith(seriesParams, query);
    return this.queries.execute(new GetGapSeries(id, between, points, knownAt, publicAt));
  }
}
