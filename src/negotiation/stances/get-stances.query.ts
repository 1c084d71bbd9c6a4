import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Stance } from './stance';
import { stancesAt } from './stance.repository';
import { ReadModel, type AsOfQuery } from '../reading/read-model';

export interface StancesAnswer {
  at: string;
  knownAt: string;
  publicAt: string | null;
  stances: Stance[];
}

export class GetStances extends Query<StancesAnswer> {
  constructor(
    readonly negotiationId: string,
    readonly query: AsOfQuery,
  ) {
    super();
  }
}

@QueryHandler(GetStances)
export class GetStancesHandler implements IQueryHandler<GetStances> {
  constructor(private readonly readModel: ReadModel) {}

  async execute({ negotiationId, query }: GetStances): Promise<StancesAnswer> {
    const { db, asOf } = await this.readModel.openAsOf(negotiationId, query);
    return {
      at: asOf.at.toISOString(),
      knownAt: asOf.knownAt.toISOString(),
      publicAt: asOf.publicAt?.toISOString() ?? null,
      stances: await stancesAt(db, negotiationId, asOf),
    };
  }
}
