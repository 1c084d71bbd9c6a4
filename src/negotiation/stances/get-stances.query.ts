import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Stance } from './stance';
import { stancesAt } from './stance.repository';
import { ReadGate, type ReadContext } from '../../projection-runner/read-gate';
import { openAsOf, readStamp, type AsOfQuery } from '../reading/open-as-of';

export interface StancesAnswer {
  at: string;
  knownAt: string;
  publicAt: string | null;
  /** The record's version the answer was read at (openAsOf's readStamp). */
  version: number;
  /** Present when the answer includes a scenario branch. */
  scenario?: string;
  stances: Stance[];
}

export class GetStances extends Query<StancesAnswer> {
  constructor(
    readonly negotiationId: string,
    readonly query: AsOfQuery,
    readonly read?: ReadContext,
  ) {
    super();
  }
}

@QueryHandler(GetStances)
export class GetStancesHandler implements IQueryHandler<GetStances> {
  constructor(private readonly gate: ReadGate) {}

  async execute({ negotiationId, query, read }: GetStances): Promise<StancesAnswer> {
    const { db, asOf } = await openAsOf(this.gate, negotiationId, query, read);
    return {
      at: asOf.at.toISOString(),
      knownAt: asOf.knownAt.toISOString(),
      ...readStamp(asOf),
      stances: await stancesAt(db, negotiationId, asOf),
    };
  }
}
