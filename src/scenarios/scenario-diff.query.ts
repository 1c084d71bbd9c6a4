import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Kysely } from 'kysely';
import type { Database } from '../database/schema';
import { checkParties } from '../negotiation/analysis/check-parties';
import { pairGap, pairsOf, type PairGap } from '../negotiation/analysis/gaps';
import { outcomes, type Outcome, type OutcomeModel } from '../negotiation/analysis/outcomes';
import { zonesOfAgreement, type Zone } from '../negotiation/analysis/zones';
import { openAsOf, type AsOfQuery } from '../negotiation/reading/open-as-of';
import type { AsOf, Stance } from '../negotiation/stances/stance';
import { issuesKnown, partiesKnown, redLinesAt, stancesAt } from '../negotiation/stances/stance.repository';
import { ReadGate, type ReadContext } from '../projection-runner/read-gate';

const MODELS: OutcomeModel[] = ['compromise', 'weighted-median'];

/** One side of the comparison: what the gaps, zones and both outcome models say. */
export interface Side {
  stances: Stance[];
  pairs: PairGap[];
  zones: Zone[];
  outcomes: Record<OutcomeModel, Outcome[]>;
}

/** A number on both sides, and the branch's minus the record's (null when either is missing). */
export interface Change {
  record: number | null;
  branch: number | null;
  change: number | null;
}

export interface DiffAnswer {
  scenario: string;
  base: number;
  until: string | null;
  at: string;
  knownAt: string;
  publicAt: string | null;
  version: number;
  parties: string[];
  record: Side;
  branch: Side;
  difference: {
    stances: ({ party: string; issue: string; hypothetical: boolean } & Change)[];
    pairs: { a: string; b: string; overall: Change; issues: ({ issue: string } & Change)[] }[];
    outcomes: ({ issue: string; model: OutcomeModel } & Change)[];
  };
}

export class GetScenarioDiff extends Query<DiffAnswer> {
  constructor(
    readonly negotiationId: string,
    readonly scenario: string,
    readonly query: Omit<AsOfQuery, 'scenario' | 'version'>,
    readonly between?: string[],
    readonly read?: ReadContext,
  ) {
    super();
  }
}

const change = (record: number | null | undefined, branch: number | null | undefined): Change => ({
  record: record ?? null,
  branch: branch ?? null,
  change: record === null || record === undefined || branch === null || branch === undefined ? null : branch - record,
});

/** The same question asked of the record and of the branch, and where the answers differ. */
async function sideAt(db: Kysely<Database>, negotiationId: string, asOf: AsOf, chosen: string[]): Promise<Side> {
  const [parties, issues, stances, redLines] = await Promise.all([
    partiesKnown(db, negotiationId, asOf),
    issuesKnown(db, negotiationId, asOf),
    stancesAt(db, negotiationId, asOf),
    redLinesAt(db, negotiationId, asOf),
  ]);
  return {
    stances,
    pairs: pairsOf(chosen).map(([a, b]) => pairGap(a, b, stances, issues)),
    zones: zonesOfAgreement(chosen, issues, redLines, stances),
    outcomes: Object.fromEntries(MODELS.map((model) => [model, outcomes(model, parties, issues, stances, redLines)])) as Record<OutcomeModel, Outcome[]>,
  };
}

/**
 * A branch beside the record at one (at, knownAt): stances, per-issue and overall gaps, zones,
 * and both models' outcomes, each side computed exactly as its own reads would, then the
 * branch's minus the record's wherever both have a number.
 */
@QueryHandler(GetScenarioDiff)
export class GetScenarioDiffHandler implements IQueryHandler<GetScenarioDiff> {
  constructor(private readonly gate: ReadGate) {}

  async execute({ negotiationId, scenario, query, between, read }: GetScenarioDiff): Promise<DiffAnswer> {
    const { db, asOf } = await openAsOf(this.gate, negotiationId, { ...query, scenario }, read);
    const branch = asOf.branch!;
    const record: AsOf = { ...asOf, branch: undefined };
    const known = (await partiesKnown(db, negotiationId, asOf)).map((p) => p.party);
    const chosen = between ?? [...known].sort();
    checkParties(chosen, known);
    const [recordSide, branchSide] = await Promise.all([sideAt(db, negotiationId, record, chosen), sideAt(db, negotiationId, asOf, chosen)]);
    return {
      scenario,
      base: branch.base,
      until: branch.until?.toISOString() ?? null,
      at: asOf.at.toISOString(),
      knownAt: asOf.knownAt.toISOString(),
      publicAt: asOf.publicAt?.toISOString() ?? null,
      version: asOf.version ?? 0,
      parties: chosen,
      record: recordSide,
      branch: branchSide,
      difference: {
        stances: stanceChanges(recordSide.stances, branchSide.stances),
        pairs: recordSide.pairs.map((r, i) => {
          const b = branchSide.pairs[i]!;
          const issues = [...new Set([...r.issues, ...b.issues].map((g) => g.issue))];
          return {
            a: r.a,
            b: r.b,
            overall: change(r.overall, b.overall),
            issues: issues.map((issue) => ({ issue, ...change(r.issues.find((g) => g.issue === issue)?.gap, b.issues.find((g) => g.issue === issue)?.gap) })),
          };
        }),
        outcomes: MODELS.flatMap((model) => {
          const issues = [...new Set([...recordSide.outcomes[model], ...branchSide.outcomes[model]].map((o) => o.issue))];
          return issues.map((issue) => ({
            issue,
            model,
            ...change(recordSide.outcomes[model].find((o) => o.issue === issue)?.outcome, branchSide.outcomes[model].find((o) => o.issue === issue)?.outcome),
          }));
        }),
      },
    };
  }
}

/** The (party, issue) cells whose stance the branch changes: a value on either side that differs. */
function stanceChanges(record: Stance[], branch: Stance[]): DiffAnswer['difference']['stances'] {
  const key = (s: Stance) => `${s.party}/${s.issue}`;
  const inRecord = new Map(record.map((s) => [key(s), s]));
  const inBranch = new Map(branch.map((s) => [key(s), s]));
  const keys = [...new Set([...inRecord.keys(), ...inBranch.keys()])].sort();
  return keys.flatMap((k) => {
    const r = inRecord.get(k);
    const b = inBranch.get(k);
    if (r && b && r.eventId === b.eventId) return [];
    const [party, issue] = k.split('/') as [string, string];
    return [{ party, issue, hypothetical: b?.hypothetical ?? false, ...change(r?.value, b?.value) }];
  });
}
