import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { gapSeries, type SeriesPoint } from './gaps';
import { issuesKnown, partiesKnown, timelineOf } from '../stances/stance.repository';
import { checkParties } from './check-parties';
import { ReadModel, type AsOfQuery } from '../reading/read-model';

export interface SeriesAnswer {
  a: string;
  b: string;
  knownAt: string;
  publicAt: string | null;
  points: SeriesPoint[];
}

export class GetGapSeries extends Query<SeriesAnswer> {
  constructor(
    readonly negotiationId: string,
    readonly between: [string, string],
    readonly points: Date[],
    readonly query: Omit<AsOfQuery, 'at'>,
  ) {
    super();
  }
}

@QueryHandler(GetGapSeries)
export class GetGapSeriesHandler implements IQueryHandler<GetGapSeries> {
  constructor(private readonly readModel: ReadModel) {}

  async execute({ negotiationId, between, points, query }: GetGapSeries): Promise<SeriesAnswer> {
    const { db, asOf } = await this.readModel.openAsOf(negotiationId, query);
    const [parties, issues, timeline] = await Promise.all([
      partiesKnown(db, negotiationId, asOf.knownAt, asOf.upTo),
      issuesKnown(db, negotiationId, asOf.knownAt, asOf.upTo),
      timelineOf(db, negotiationId, between, asOf),
    ]);
    checkParties(between, parties.map((p) => p.party));
    const [a, b] = between;
    return { a, b, knownAt: asOf.knownAt.toISOString(), publicAt: asOf.publicAt?.toISOString() ?? null, points: gapSeries(a, b, timeline, issues, points) };
  }
}
