import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { gapSeries, type SeriesPoint } from './gaps';
import { issuesKnown, partiesKnown, timelineOf } from '../stances/stance.repository';
import { checkParties } from './check-parties';
import { ReadGate, type ReadContext } from '../../projection-runner/read-gate';
import { openAsOf, readStamp, type AsOfQuery } from '../reading/open-as-of';

export interface SeriesAnswer {
  a: string;
  b: string;
  knownAt: string;
  publicAt: string | null;
  version: number;
  scenario?: string;
  points: SeriesPoint[];
}

export class GetGapSeries extends Query<SeriesAnswer> {
  constructor(
    readonly negotiationId: string,
    readonly between: [string, string],
    readonly points: Date[],
    readonly query: Omit<AsOfQuery, 'at'>,
    readonly read?: ReadContext,
  ) {
    super();
  }
}

@QueryHandler(GetGapSeries)
export class GetGapSeriesHandler implements IQueryHandler<GetGapSeries> {
  constructor(private readonly gate: ReadGate) {}

  async execute({ negotiationId, between, points, query, read }: GetGapSeries): Promise<SeriesAnswer> {
    const { db, asOf } = await openAsOf(this.gate, negotiationId, query, read);
    const [parties, issues, timeline] = await Promise.all([
      partiesKnown(db, negotiationId, asOf),
      issuesKnown(db, negotiationId, asOf),
      timelineOf(db, negotiationId, between, asOf),
    ]);
    checkParties(between, parties.map((p) => p.party));
    const [a, b] = between;
    return { a, b, knownAt: asOf.knownAt.toISOString(), ...readStamp(asOf), points: gapSeries(a, b, timeline, issues, points) };
  }
}
