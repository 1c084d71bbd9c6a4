import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { pairGap, pairsOf, type PairGap } from './gaps';
import { issuesKnown, partiesKnown, stancesAt } from '../stances/stance.repository';
import { ReadGate, type ReadContext } from '../../projection-runner/read-gate';
import { openAsOf, readStamp, type AsOfQuery } from '../reading/open-as-of';
import { checkParties } from './check-parties';

export interface GapsAnswer {
  at: string;
  knownAt: string;
  publicAt: string | null;
  version: number;
  scenario?: string;
  pairs: PairGap[];
}

export class GetGaps extends Query<GapsAnswer> {
  constructor(
    readonly negotiationId: string,
    readonly query: AsOfQuery,
    readonly between?: string[],
    readonly read?: ReadContext,
  ) {
    super();
  }
}

@QueryHandler(GetGaps)
export class GetGapsHandler implements IQueryHandler<GetGaps> {
  constructor(private readonly gate: ReadGate) {}

  async execute({ negotiationId, query, between, read }: GetGaps): Promise<GapsAnswer> {
    const { db, asOf } = await openAsOf(this.gate, negotiationId, query, read);
    const [parties, issues, stances] = await Promise.all([
      partiesKnown(db, negotiationId, asOf),
      issuesKnown(db, negotiationId, asOf),
      stancesAt(db, negotiationId, asOf),
    ]);
    const chosen = between ?? parties.map((p) => p.party).sort();
    checkParties(chosen, parties.map((p) => p.party));
    return {
      at: asOf.at.toISOString(),
      knownAt: asOf.knownAt.toISOString(),
      ...readStamp(asOf),
      pairs: pairsOf(chosen).map(([a, b]) => pairGap(a, b, stances, issues)),
    };
  }
}
