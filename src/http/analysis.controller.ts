import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import type { Request } from './platform';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { slugSchema } from '../negotiation/domain/events';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { GetConcessions, GetEvidence, GetHistory, GetOutcomes, GetZones } from '../negotiation/analysis/analysis.queries';
import { parseWith } from '../shared/parse-with';
import { CachedAsOf } from './as-of-cache';
import { ReadAt } from './read-context';
import type { ReadContext } from '../projection-runner/read-gate';
import { evidenceParams, gapsParams, outcomeParams } from '../negotiation/reading/as-of-params';
import { concessionParams, historyParams, recordedOutcomesParams } from './params';
import { backtestParams, GetBacktest, GetRecordedOutcomes, type BacktestAnswer } from '../negotiation/outcomes/get-backtest.query';
import { csvFile, wantsCsv } from './tabular';

const BACKTEST_COLUMNS = ['model', 'at', 'issue', 'prediction', 'outcome', 'error', 'basis', 'mean'] as const;

/** A backtest as long CSV rows: one per date and issue scored, with that date's mean. */
function* backtestRows(answer: BacktestAnswer): Generator<Record<(typeof BACKTEST_COLUMNS)[number], string | number | null>> {
  for (const point of answer.points) {
    for (const issue of point.issues) {
      yield { model: answer.model, at: point.at, issue: issue.issue, prediction: issue.prediction, outcome: issue.outcome, error: issue.error, basis: issue.basis ?? null, mean: point.mean };
    }
  }
}


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

  /** Each cell from every statement in the window, weighted by how it is known (docs/metrics.md). */
  @Get('evidence')
  @CachedAsOf({ usesAt: true })
  evidence(@Param('nid') nid: string, @Query() query: unknown, @ReadAt() read: ReadContext) {
    const { window, ...asOf } = parseWith(evidenceParams, query);
    return this.queries.execute(new GetEvidence(parseWith(negotiationIdSchema, nid, ['nid']), asOf, window, read));
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

  @Get('outcomes/recorded')
  @CachedAsOf({ usesAt: false })
  recorded(@Param('nid') nid: string, @Query() query: unknown, @ReadAt() read: ReadContext) {
    const { knownAt, version } = parseWith(recordedOutcomesParams, query);
    return this.queries.execute(new GetRecordedOutcomes(parseWith(negotiationIdSchema, nid, ['nid']), knownAt, version, read));
  }

  /** Each model's predictions as they were known at each date, scored against the recorded outcomes. */
  @Get('backtest')
  @CachedAsOf({ usesAt: false })
  async backtest(@Param('nid') nid: string, @Query() query: unknown, @Req() request: Request, @ReadAt() read: ReadContext) {
    const id = parseWith(negotiationIdSchema, nid, ['nid']);
    const { format, ...params } = parseWith(backtestParams, query);
    const answer = await this.queries.execute(new GetBacktest(id, params, read));
    return wantsCsv(request, format) ? csvFile(backtestRows(answer), BACKTEST_COLUMNS, `${id}-backtest-${answer.model}.csv`) : answer;
  }
}
