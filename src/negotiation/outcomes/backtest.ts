import { outcomes, type OutcomeModel } from '../analysis/outcomes';
import type { RedLine, Stance } from '../stances/stance';
import type { KnownIssue, KnownParty } from '../stances/stance.repository';
import type { RecordedOutcome } from './recorded-outcomes';

export const BACKTEST_MODELS = ['compromise', 'weighted-median', 'baseline'] as const;
export type BacktestModel = (typeof BACKTEST_MODELS)[number];

/**
 * The naive baseline: the last proposal tabled on the issue (the draft on the table is what
 * talks most often settle near, and what an observer without a model would point to); before
 * any proposal, the midpoint of the stated positions' extremes (splitting the difference).
 */
export type BaselineBasis = 'proposal' | 'midpoint';

export interface Prediction {
  value: number | null;
  /** The baseline's only: which rule gave the value. */
  basis?: BaselineBasis;
}

/** What one model predicted on each issue at one date. */
export type Predictions = Record<BacktestModel, Map<string, Prediction>>;

/** Every model's prediction per issue from what was known at one date. */
export function predictionsAt(
  parties: KnownParty[],
  issues: KnownIssue[],
  stances: Stance[],
  redLines: RedLine[],
  proposals: Map<string, { value: number }>,
): Predictions {
  const model = (name: OutcomeModel) => new Map(outcomes(name, parties, issues, stances, redLines).map((o) => [o.issue, { value: o.outcome }]));
  const baseline = new Map<string, Prediction>();
  for (const issue of issues) {
    const tabled = proposals.get(issue.issue);
    const values = stances.filter((s) => s.issue === issue.issue).map((s) => s.value);
    if (tabled) baseline.set(issue.issue, { value: tabled.value, basis: 'proposal' });
    else if (values.length > 0) baseline.set(issue.issue, { value: (Math.min(...values) + Math.max(...values)) / 2, basis: 'midpoint' });
  }
  return { compromise: model('compromise'), 'weighted-median': model('weighted-median'), baseline };
}

export interface ScoredIssue {
  issue: string;
  prediction: number | null;
  outcome: number | null;
  /** |prediction − outcome| on the 0–100 scale; null when either is missing. */
  error: number | null;
  basis?: BaselineBasis;
}

export interface BacktestPoint {
  at: string;
  issues: ScoredIssue[];
  /** The mean error over the issues scored at this date; null when none could be. */
  mean: number | null;
  scored: number;
}

/**
 * One date scored: every issue with a recorded outcome that had not yet happened (the outcome's
 * valid time is at or after the date), its prediction then against the outcome. An outcome of
 * "no agreement" (null) has no value to miss: it is listed, unscored.
 */
export function scorePoint(at: Date, predictions: Map<string, Prediction>, recorded: RecordedOutcome[], issues: KnownIssue[]): BacktestPoint {
  const scale = new Map(issues.map((i) => [i.issue, i.scale.max - i.scale.min]));
  const scored: ScoredIssue[] = recorded
    .filter((o) => o.occurredAt.getTime() >= at.getTime())
    .map((o) => {
      const predicted = predictions.get(o.issue);
      const prediction = predicted?.value ?? null;
      const width = scale.get(o.issue);
      const error = prediction === null || o.value === null || !width ? null : (Math.abs(prediction - o.value) * 100) / width;
      return { issue: o.issue, prediction, outcome: o.value, error, ...(predicted?.basis ? { basis: predicted.basis } : {}) };
    });
  const errors = scored.flatMap((s) => (s.error === null ? [] : [s.error]));
  return { at: at.toISOString(), issues: scored, mean: mean(errors), scored: errors.length };
}

export interface BacktestSummary {
  /** The mean absolute error over every (issue, date) scored. */
  meanAbsoluteError: number | null;
  /** The mean error at the last date scored: the prediction closest to the outcomes. */
  final: number | null;
  byIssue: { issue: string; meanAbsoluteError: number | null; first: number | null; last: number | null; points: number }[];
  cells: number;
}

export function summarize(points: BacktestPoint[]): BacktestSummary {
  const all = points.flatMap((p) => p.issues.flatMap((i) => (i.error === null ? [] : [i.error])));
  const issues = [...new Set(points.flatMap((p) => p.issues.map((i) => i.issue)))].sort();
  const lastScored = [...points].reverse().find((p) => p.mean !== null);
  return {
    meanAbsoluteError: mean(all),
    final: lastScored?.mean ?? null,
    byIssue: issues.map((issue) => {
      const errors = points.flatMap((p) => p.issues.filter((i) => i.issue === issue && i.error !== null).map((i) => i.error!));
      return { issue, meanAbsoluteError: mean(errors), first: errors[0] ?? null, last: errors.at(-1) ?? null, points: errors.length };
    }),
    cells: all.length,
  };
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length;
}
