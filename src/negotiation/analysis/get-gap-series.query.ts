import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { gapSeries, pairGap, seriesPoint, type SeriesPoint } from './gaps';
import { issuesKnown, partiesKnown, stancesAt, timelineOf } from '../stances/stance.repository';
import { InvalidRequest } from '../../shared/domain-error';
import { checkParties } from './check-parties';
import { ReadGate, type ReadContext } from '../../projection-runner/read-gate';
import { openAsOf, readStamp, type AsOfQuery } from '../reading/open-as-of';

export interface SeriesAnswer {
  a: string;
  b: string;
  knownAt: string;
  publicAt: string | null;
  version: number;
  /** `published`: each point as it was public on its own date (publicAt = at). */
  vintage: 'final' | 'published';
  scenario?: string;
  points: SeriesPoint[];
}

/** Points an as-published series reads one by one (each is an as-of read of its own). */
export const MAX_VINTAGE_POINTS = 1_000;

export class GetGapSeries extends Query<SeriesAnswer> {
  constructor(
    readonly negotiationId: string,
    readonly between: [string, string],
    readonly points: Date[],
    readonly query: Omit<AsOfQuery, 'at'>,
    readonly read?: ReadContext,
    /**
     * `final` (default): one knownAt and publicAt for every point. `published`: each point as an
     * observer could have plotted it on that date, publicAt = the point (a real-time vintage).
     */
    readonly vintage: 'final' | 'published' = 'final',
  ) {
    super();
  }
}

@QueryHandler(GetGapSeries)
export class GetGapSeriesHandler implements IQueryHandler<GetGapSeries> {
  constructor(private readonly gate: ReadGate) {}

  async execute({ negotiationId, between, points, query, read, vintage }: GetGapSeries): Promise<SeriesAnswer> {
    if (vintage === 'published' && query.publicAt !== undefined) {
      throw new InvalidRequest([{ path: ['vintage'], message: 'vintage=published sets publicAt to each point: give one or the other' }]);
    }
    if (vintage === 'published' && points.length > MAX_VINTAGE_POINTS) {
      throw new InvalidRequest([{ path: ['step'], message: `An as-published series reads each of its ${points.length} points apart: at most ${MAX_VINTAGE_POINTS}, use a larger step` }]);
    }
    // As published, every point has a publicAt (its own): corrections=public needs no other.
    const published = vintage === 'published';
    const { db, asOf } = await openAsOf(this.gate, negotiationId, published ? { ...query, corrections: undefined } : query, read);
    if (published) asOf.corrections = query.corrections ?? 'known';
    const [parties, issues] = await Promise.all([partiesKnown(db, negotiationId, asOf), issuesKnown(db, negotiationId, asOf)]);
    checkParties(between, parties.map((p) => p.party));
    const [a, b] = between;
    const stamp = { a, b, knownAt: asOf.knownAt.toISOString(), ...readStamp(asOf), vintage };
    if (vintage === 'final') return { ...stamp, points: gapSeries(a, b, await timelineOf(db, negotiationId, between, asOf), issues, points) };
    // Each point is the as-of rule at (at = publicAt = the point): what was public that day.
    const series: SeriesPoint[] = [];
    for (const at of points) {
      const stances = (await stancesAt(db, negotiationId, { ...asOf, at, publicAt: at })).filter((s) => s.party === a || s.party === b);
      series.push(seriesPoint(at, pairGap(a, b, stances, issues)));
    }
    return { ...stamp, points: series };
  }
}
