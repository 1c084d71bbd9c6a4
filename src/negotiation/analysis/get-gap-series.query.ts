import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { gapSeries, type SeriesPoint } from './gaps';
import { issuesKnown, partiesKnown, timelineOf } from '../stances/stance.repository';
import { checkParties } from './check-parties';
import { ReadModel } from '../reading/read-model';

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
    readonly knownAtQuery: Date | undefined,
    readonly publicAt?: Date,
  ) {
    super();
  }
}

@QueryHandler(GetGapSeries)
export class GetGapSeriesHandler implements IQueryHandler<GetGapSeries> {
  constructor(private readonly readModel: ReadModel) {}

  async execute({ negotiationId, between, points, knownAtQuery, publicAt }: GetGapSeries): Promise<SeriesAnswer> {
    const { db, now } = await this.readModel.open(negotiationId);
    const knownAt = knownAtQuery ?? now;
    const [parties, issues, timeline] = await Promise.all([
      partiesKnown(db, negotiationId, knownAt),
      issuesKnown(db, negotiationId, knownAt),
      timelineOf(db, negotiationId, between, knownAt, undefined, publicAt),
    ]);
    checkParties(between, parties.map((p) => p.party));
    const [a, b] = between;
    return { a, b, knownAt: knownAt.toISOString(), publicAt: publicAt?.toISOString() ?? null, points: gapSeries(a, b, timeline, issues, points) };
  }
}
