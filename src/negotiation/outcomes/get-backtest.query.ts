import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Duration } from 'luxon';
import { z } from 'zod';
import { ReadGate, type ReadContext } from '../../projection-runner/read-gate';
import { InvalidRequest } from '../../shared/domain-error';
import { instantOrDateSchema } from '../domain/time';
import { durationSchema, seriesPoints } from '../reading/as-of-params';
import { openAsOf, readStamp } from '../reading/open-as-of';
import type { AsOf } from '../stances/stance';
import { issuesKnown, partiesKnown, proposalsAt, redLinesAt, spanOf, stancesAt } from '../stances/stance.repository';
import { BACKTEST_MODELS, predictionsAt, scorePoint, summarize, type BacktestModel, type BacktestPoint, type BacktestSummary } from './backtest';
import { outcomesKnown } from './outcomes.repository';
import type { RecordedOutcome } from './recorded-outcomes';

export const backtestParams = z.object({
  model: z.enum(BACKTEST_MODELS).default('compromise'),
  /** The first and last dates predicted; default the first position's date and the last outcome's. */
  from: instantOrDateSchema.optional(),
  to: instantOrDateSchema.optional(),
  step: durationSchema.optional(),
  /**
   * What "known at the date" means: `recorded` (the default) is what Parley held then (recorded
   * time); `public` is what had been published by then (sources' publishedAt), for records
   * entered after the fact. Later corrections never count for an earlier date under `recorded`.
   */
  by: z.enum(['recorded', 'public']).default('recorded'),
  /** Which recorded outcomes are the truth: as known at this instant (default now). */
  knownAt: instantOrDateSchema.optional(),
  format: z.enum(['json', 'csv']).optional(),
});

export interface BacktestAnswer {
  model: BacktestModel;
  by: 'recorded' | 'public';
  knownAt: string;
  /** The record's version the outcomes were read at. */
  version: number;
  /** How the baseline predicts, in words (docs/metrics.md). */
  baseline: string;
  outcomes: (Omit<RecordedOutcome, 'occurredAt' | 'recordedAt' | 'correctedAt'> & { occurredAt: string; recordedAt: string; correctedAt: string | null })[];
  points: BacktestPoint[];
  summary: BacktestSummary;
  /** Every model over the same points: which did best (lowest mean absolute error) and by how much. */
  comparison: { models: { model: BacktestModel; meanAbsoluteError: number | null; final: number | null }[]; best: BacktestModel | null; margin: number | null };
}

export const BASELINE = 'the last proposal tabled on the issue as known at the date; before any, the midpoint of the stated positions\' extremes';

export class GetBacktest extends Query<BacktestAnswer> {
  constructor(
    readonly negotiationId: string,
    readonly params: Omit<z.infer<typeof backtestParams>, 'format'>,
    readonly read?: ReadContext,
  ) {
    super();
  }
}

/**
 * Each outcome model's prediction as it could have been made at each date (recorded time: what
 * Parley held then, so later corrections do not leak backwards), scored against the recorded
 * outcomes as known now: absolute error on the 0–100 scale per issue, the mean per date, and
 * the three models compared over the same dates. docs/metrics.md states what is compared.
 */
@QueryHandler(GetBacktest)
export class GetBacktestHandler implements IQueryHandler<GetBacktest> {
  constructor(private readonly gate: ReadGate) {}

  async execute({ negotiationId, params, read }: GetBacktest): Promise<BacktestAnswer> {
    const { db, asOf: now } = await openAsOf(this.gate, negotiationId, { knownAt: params.knownAt }, read);
    const recorded = await outcomesKnown(db, negotiationId, now);
    const span = await spanOf(db, negotiationId, now);
    const last = recorded.reduce<Date | null>((latest, o) => (latest && latest > o.occurredAt ? latest : o.occurredAt), null);
    const from = params.from ?? (span ? new Date(span.first) : null);
    const to = params.to ?? last;
    let dates: Date[] = [];
    if (from && to && recorded.length > 0) {
      const points = seriesPoints({ from, to, step: params.step ?? Duration.fromISO('P1D') });
      if (!Array.isArray(points)) throw new InvalidRequest([points]);
      dates = points;
    }
    // Scales as known now: an issue's scale does not change, and one defined later still scores.
    const scales = await issuesKnown(db, negotiationId, now);
    const perModel = Object.fromEntries(BACKTEST_MODELS.map((m) => [m, [] as BacktestPoint[]])) as Record<BacktestModel, BacktestPoint[]>;
    for (const at of dates) {
      // As known at the date: Parley's record then, or what had been published by then.
      const then: AsOf = params.by === 'recorded' ? { at, knownAt: at } : { at, knownAt: now.knownAt, publicAt: at };
      const [parties, issues, stances, redLines, proposals] = await Promise.all([
        partiesKnown(db, negotiationId, then),
        issuesKnown(db, negotiationId, then),
        stancesAt(db, negotiationId, then),
        redLinesAt(db, negotiationId, then),
        proposalsAt(db, negotiationId, then),
      ]);
      const predictions = predictionsAt(parties, issues, stances, redLines, proposals);
      for (const model of BACKTEST_MODELS) perModel[model].push(scorePoint(at, predictions[model], recorded, scales));
    }
    const summaries = BACKTEST_MODELS.map((model) => ({ model, summary: summarize(perModel[model]) }));
    const chosen = summaries.find((s) => s.model === params.model)!.summary;
    const ranked = summaries.filter((s) => s.summary.meanAbsoluteError !== null).sort((a, b) => a.summary.meanAbsoluteError! - b.summary.meanAbsoluteError!);
    return {
      model: params.model,
      by: params.by,
      knownAt: now.knownAt.toISOString(),
      version: now.version ?? 0,
      baseline: BASELINE,
      outcomes: recorded.map(wireOutcome),
      points: perModel[params.model],
      summary: chosen,
      comparison: {
        models: summaries.map(({ model, summary }) => ({ model, meanAbsoluteError: summary.meanAbsoluteError, final: summary.final })),
        best: ranked[0]?.model ?? null,
        margin: ranked.length >= 2 ? ranked[1]!.summary.meanAbsoluteError! - ranked[0]!.summary.meanAbsoluteError! : null,
      },
    };
  }
}

export class GetRecordedOutcomes extends Query<{ knownAt: string; publicAt: string | null; version: number; outcomes: BacktestAnswer['outcomes'] }> {
  constructor(readonly negotiationId: string, readonly knownAt: Date | undefined, readonly version?: number, readonly read?: ReadContext) {
    super();
  }
}

/** What was agreed or decided on each issue (null: no agreement), as known at knownAt. */
@QueryHandler(GetRecordedOutcomes)
export class GetRecordedOutcomesHandler implements IQueryHandler<GetRecordedOutcomes> {
  constructor(private readonly gate: ReadGate) {}

  async execute({ negotiationId, knownAt, version, read }: GetRecordedOutcomes) {
    const { db, asOf } = await openAsOf(this.gate, negotiationId, { knownAt, version }, read);
    const recorded = await outcomesKnown(db, negotiationId, asOf);
    return { knownAt: asOf.knownAt.toISOString(), ...readStamp(asOf), outcomes: recorded.map(wireOutcome) };
  }
}

const wireOutcome = (o: RecordedOutcome): BacktestAnswer['outcomes'][number] => ({
  ...o,
  occurredAt: o.occurredAt.toISOString(),
  recordedAt: o.recordedAt.toISOString(),
  correctedAt: o.correctedAt?.toISOString() ?? null,
});
