import { DateTime, Duration } from 'luxon';
import { z } from 'zod';
import { slugSchema } from '../domain/events';
import { instantOrDateSchema } from '../domain/time';
import type { AsOfQuery } from './open-as-of';

/**
 * `at` and `knownAt`: instants or dates (end of that UTC day). Absent means now, by the
 * database's clock (the read model fills it in), not this process's.
 */
export const asOfParams = z.object({
  at: instantOrDateSchema.optional(),
  knownAt: instantOrDateSchema.optional(),
  /** What was public: only reports published (or, without a date, recorded) by then count. */
  publicAt: instantOrDateSchema.optional(),
  /** A cited version: only the stream's events 1..n count (GET …/versions/{n}). */
  version: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  /** A scenario branch: the record up to its base and the branch's hypothetical events. */
  scenario: slugSchema.optional(),
  /**
   * How an event known only to a day, week or month counts: from the start of its period (the
   * contract's rule, the default) or, conservatively, from its end (never before it surely happened).
   */
  periods: z.enum(['start', 'end']).optional(),
  /**
   * With publicAt: corrections and retractions count as known at knownAt (`known`, the
   * contract's rule) or only once their own report was public by publicAt (`public`).
   */
  corrections: z.enum(['known', 'public']).optional(),
});

export const knownAtParams = asOfParams.pick({ knownAt: true });

/** knownAt, publicAt and version: reads that span valid time (histories, concessions). */
export const recordedParams = asOfParams.omit({ at: true });

export const pageParams = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** `between=a,b[,c…]`: party slugs, comma-separated. */
export const partyListSchema = z
  .string()
  .transform((v) => v.split(',').map((p) => p.trim()))
  .pipe(z.array(slugSchema).min(2, 'Name at least two parties'));

export const gapsParams = asOfParams.extend({ between: partyListSchema.optional() });

export const outcomeParams = asOfParams.extend({ model: z.enum(['compromise', 'weighted-median', 'nash']).default('compromise') });

export const MAX_SERIES_POINTS = 10_000;

/** Grafana's `$__interval` units: `30s`, `5m`, `1h`, `1d`, `1w`, `1y`, `500ms`. */
const GRAFANA_UNITS = { ms: 'milliseconds', s: 'seconds', m: 'minutes', h: 'hours', d: 'days', w: 'weeks', y: 'years' } as const;

function parseDuration(value: string): Duration {
  const grafana = /^(\d+)(ms|s|m|h|d|w|y)$/.exec(value);
  if (grafana) return Duration.fromObject({ [GRAFANA_UNITS[grafana[2] as keyof typeof GRAFANA_UNITS]]: Number(grafana[1]) });
  return Duration.fromISO(value);
}

export const durationSchema = z.string().transform((value, ctx) => {
  const duration = parseDuration(value);
  if (!duration.isValid || duration.toMillis() <= 0) {
    ctx.addIssue({ code: 'custom', message: 'Expected a positive ISO 8601 duration (P1D, PT6H) or a Grafana interval (6h, 30m)' });
    return z.NEVER;
  }
  return duration;
});

/** from, from + step, … up to and including to; an issue (and undefined) when they are unfit. */
function pointsOf(range: { from: Date; to: Date; step: Duration }, ctx: z.RefinementCtx): Date[] | undefined {
  const points = seriesPoints(range);
  if (!Array.isArray(points)) {
    ctx.addIssue({ code: 'custom', ...points });
    return undefined;
  }
  return points;
}

/** from, from + step, … up to and including to; or what is wrong with the range, field by field. */
export function seriesPoints(range: { from: Date; to: Date; step: Duration }): Date[] | { path: string[]; message: string } {
  if (range.to < range.from) return { path: ['to'], message: '`to` is before `from`' };
  const points: Date[] = [];
  const start = DateTime.fromJSDate(range.from, { zone: 'utc' });
  // The k-th point is from + k × step, counted from the start each time: a monthly series from
  // 31 January keeps to month ends (28 February, 31 March), where adding a month to the last
  // point drifted to the 28th for good.
  for (let k = 0; ; k++) {
    const at = start.plus(range.step.mapUnits((x) => x * k));
    if (at.toMillis() > range.to.getTime()) break;
    if (points.length === MAX_SERIES_POINTS) return { path: ['step'], message: `More than ${MAX_SERIES_POINTS} points: use a larger step or a shorter range` };
    points.push(at.toJSDate());
  }
  return points;
}

const pointsFields = {
  from: instantOrDateSchema,
  to: instantOrDateSchema,
  step: durationSchema.default(() => Duration.fromISO('P1D') as Duration<true>),
  knownAt: instantOrDateSchema.optional(),
  publicAt: instantOrDateSchema.optional(),
  version: asOfParams.shape.version,
  scenario: asOfParams.shape.scenario,
  periods: asOfParams.shape.periods,
  corrections: asOfParams.shape.corrections,
};

/** The recorded-time half of an as-of question, which series, panels and histories share. */
const recordedQuery = (p: Omit<AsOfQuery, 'at'>): Omit<AsOfQuery, 'at'> => ({
  knownAt: p.knownAt,
  publicAt: p.publicAt,
  version: p.version,
  scenario: p.scenario,
  periods: p.periods,
  corrections: p.corrections,
});

/** `format=csv` asks for CSV, like `Accept: text/csv`. */
const formatField = { format: z.enum(['json', 'csv']).optional() };

/** The points of a series: from, from + step, … up to and including to. */
export const seriesParams = z
  .object({
    between: partyListSchema.refine((p) => p.length === 2, 'A series is for one pair: between=a,b'),
    ...pointsFields,
    ...formatField,
    /** `published`: each point as public on its own date (publicAt = the point), a real-time vintage. */
    vintage: z.enum(['final', 'published']).optional(),
  })
  .transform((params, ctx) => {
    const points = pointsOf(params, ctx);
    if (!points) return z.NEVER;
    return { between: params.between as [string, string], points, query: recordedQuery(params), format: params.format, vintage: params.vintage ?? ('final' as const) };
  });

/**
 * The panel's points, as a series'. `format=datapackage` asks for the panel as a Frictionless
 * Data Package (a zip: datapackage.json, the balanced panel and the codebook as CSV).
 */
export const panelParams = z.object({ ...pointsFields, format: z.enum(['json', 'csv', 'datapackage']).optional() }).transform((params, ctx) => {
  const points = pointsOf(params, ctx);
  if (!points) return z.NEVER;
  return { points, query: recordedQuery(params), format: params.format, range: { from: params.from, to: params.to, step: params.step.toISO() ?? 'P1D' } };
});

export const pageFormatParams = pageParams.extend({
  ...formatField,
  /** Read backwards: the `limit` events just before this global position (exclusive). */
  before: z.coerce.number().int().min(1).optional(),
});

/** The evidence reading's window: how far before `at` a statement still counts (an ISO 8601 duration). */
export const evidenceParams = asOfParams.extend({ window: durationSchema.default(() => Duration.fromISO('P30D') as Duration<true>) }).transform(({ window, ...asOf }, ctx) => {
  const ms = window.as('milliseconds');
  if (!(ms > 0)) {
    ctx.addIssue({ code: 'custom', path: ['window'], message: 'The window must be a positive duration, e.g. P30D' });
    return z.NEVER;
  }
  return { ...asOf, window: { ms, iso: window.toISO() ?? 'P30D' } };
});
