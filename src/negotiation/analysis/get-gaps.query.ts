import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InvalidRequest } from '../domain/errors';
import { pairGap, pairsOf, type PairGap } from './gaps';
import { issuesKnown, partiesKnown, stancesAt } from '../stances/stance.repository';
import { ReadModel, type AsOfQuery } from '../reading/read-model';

export interface GapsAnswer {
  at: string;
  knownAt: string;
  pairs: PairGap[];
}

export class GetGaps extends Query<GapsAnswer> {
  constructor(
    readonly negotiationId: string,
    readonly query: AsOfQuery,
    readonly between?: string[],
  ) {
    super();
  }
}

@QueryHandler(GetGaps)
export class GetGapsHandler implements IQueryHandler<GetGaps> {
  constructor(private readonly readModel: ReadModel) {}

  async execute({ negotiationId, query, between }: GetGaps): Promise<GapsAnswer> {
    const read = await this.readModel.open(negotiationId);
    const { db } = read;
    const asOf = read.asOf(query);
    const [parties, issues, stances] = await Promise.all([
      partiesKnown(db, negotiationId, asOf.knownAt),
      issuesKnown(db, negotiationId, asOf.knownAt),
      stancesAt(db, negotiationId, asOf),
    ]);
    const chosen = between ?? parties.map((p) => p.party).sort();
    checkParties(chosen, parties.map((p) => p.party));
    return {
      at: asOf.at.toISOString(),
      knownAt: asOf.knownAt.toISOString(),
      pairs: pairsOf(chosen).map(([a, b]) => pairGap(a, b, stances, issues)),
    };
  }
}

/** `between` names parties known at knownAt, each once (else 400, naming the party). */
export function checkParties(chosen: string[], known: string[]): void {
  const issues = chosen.flatMap((party, i) => {
    if (!known.includes(party)) return [{ path: ['between', i], message: `Unknown party "${party}"` }];
    if (chosen.indexOf(party) !== i) return [{ path: ['between', i], message: `Party "${party}" is listed twice` }];
    return [];
  });
  if (issues.length > 0) throw new InvalidRequest(issues);
}
