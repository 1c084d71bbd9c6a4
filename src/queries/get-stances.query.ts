import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { AsOf, Stance } from '../projections/as-of';
import { stancesAt } from '../projections/stance-queries';
import { ReadModel } from './read-model';

export interface StancesAnswer {
  at: string;
  knownAt: string;
  stances: Stance[];
}

export class GetStances extends Query<StancesAnswer> {
  constructor(
    readonly negotiationId: string,
    readonly asOf: AsOf,
  ) {
    super();
  }
}

@QueryHandler(GetStances)
export class GetStancesHandler implements IQueryHandler<GetStances> {
  constructor(private readonly readModel: ReadModel) {}

  async execute({ negotiationId, asOf }: GetStances): Promise<StancesAnswer> {
    const db = await this.readModel.open(negotiationId);
    return {
      at: asOf.at.toISOString(),
      knownAt: asOf.knownAt.toISOString(),
      stances: await stancesAt(db, negotiationId, asOf),
    };
  }
}
