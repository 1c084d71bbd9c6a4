import { codersOf, type Coders } from '../reading/coders';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { concessions, type Concession } from './concessions';
import { imputedCapability, outcomes, type Outcome, type OutcomeModel } from './outcomes';
import { NEUTRAL_SALIENCE } from './gaps';
import { evidenceAt, type EvidenceCell } from './evidence';
import { zonesOfAgreement, type Zone } from './zones';
import type { AsOf } from '../stances/stance';
import { issuesKnown, partiesKnown, redLinesAt, stancesAt, timelineOf, type TimelineFact } from '../stances/stance.repository';
import { checkParties } from './check-parties';
import { ReadGate, type ReadContext } from '../../projection-runner/read-gate';
import { openAsOf, readStamp, type AsOfQuery } from '../reading/open-as-of';

const stamp = (asOf: AsOf) => ({ at: asOf.at.toISOString(), knownAt: asOf.knownAt.toISOString(), ...readStamp(asOf) });

export class GetZones extends Query<{ at: string; knownAt: string; publicAt: string | null; version: number; parties: string[]; zones: Zone[] }> {
  constructor(readonly negotiationId: string, readonly query: AsOfQuery, readonly between?: string[], readonly read?: ReadContext) {
    super();
  }
}

@QueryHandler(GetZones)
export class GetZonesHandler implements IQueryHandler<GetZones> {
  constructor(private readonly gate: ReadGate) {}

  async execute({ negotiationId, query, between, read }: GetZones) {
    const { db, asOf } = await openAsOf(this.gate, negotiationId, query, read);
    const [parties, issues, redLines, stances] = await Promise.all([
      partiesKnown(db, negotiationId, asOf),
      issuesKnown(db, negotiationId, asOf),
      redLinesAt(db, negotiationId, asOf),
      stancesAt(db, negotiationId, asOf),
    ]);
    const chosen = between ?? parties.map((p) => p.party).sort();
    checkParties(chosen, parties.map((p) => p.party));
    return { ...stamp(asOf), parties: chosen, zones: zonesOfAgreement(chosen, issues, redLines, stances) };
  }
}

export class GetOutcomes extends Query<{ at: string; knownAt: string; publicAt: string | null; version: number; model: OutcomeModel; outcomes: Outcome[]; imputation: { salience: number; capability: number } }> {
  constructor(readonly negotiationId: string, readonly query: AsOfQuery, readonly model: OutcomeModel = 'compromise', readonly read?: ReadContext) {
    super();
  }
}

@QueryHandler(GetOutcomes)
export class GetOutcomesHandler implements IQueryHandler<GetOutcomes> {
  constructor(private readonly gate: ReadGate) {}

  async execute({ negotiationId, query, model, read }: GetOutcomes) {
    const { db, asOf } = await openAsOf(this.gate, negotiationId, query, read);
    const [parties, issues, stances, redLines] = await Promise.all([
      partiesKnown(db, negotiationId, asOf),
      issuesKnown(db, negotiationId, asOf),
      stancesAt(db, negotiationId, asOf),
      redLinesAt(db, negotiationId, asOf),
    ]);
    return { ...stamp(asOf), model, outcomes: outcomes(model, parties, issues, stances, redLines), imputation: { salience: NEUTRAL_SALIENCE, capability: imputedCapability(parties) } };
  }
}

export class GetConcessions extends Query<{ party: string; toward: string; from: string; to: string; knownAt: string; publicAt: string | null; version: number; issues: Concession[]; mean: number | null }> {
  constructor(
    readonly negotiationId: string,
    readonly party: string,
    readonly toward: string,
    readonly from: Date,
    readonly to: Date,
    readonly query: Omit<AsOfQuery, 'at'>,
    readonly read?: ReadContext,
  ) {
    super();
  }
}

@QueryHandler(GetConcessions)
export class GetConcessionsHandler implements IQueryHandler<GetConcessions> {
  constructor(private readonly gate: ReadGate) {}

  async execute({ negotiationId, party, toward, from, to, query, read }: GetConcessions) {
    const { db, asOf } = await openAsOf(this.gate, negotiationId, query, read);
    const { knownAt } = asOf;
    const [parties, issues, before, after] = await Promise.all([
      partiesKnown(db, negotiationId, asOf),
      issuesKnown(db, negotiationId, asOf),
      stancesAt(db, negotiationId, { ...asOf, at: from }),
      stancesAt(db, negotiationId, { ...asOf, at: to }),
    ]);
    checkParties([party, toward], parties.map((p) => p.party), [['party'], ['toward']]);
    const list = concessions(party, toward, issues, before, after);
    return {
      party,
      toward,
      from: from.toISOString(),
      to: to.toISOString(),
      knownAt: knownAt.toISOString(),
      ...readStamp(asOf),
      issues: list,
      mean: list.length === 0 ? null : list.reduce((sum, c) => sum + c.concession, 0) / list.length,
    };
  }
}

export class GetHistory extends Query<{ party: string; knownAt: string; publicAt: string | null; version: number; changes: (TimelineFact & Coders)[] }> {
  constructor(readonly negotiationId: string, readonly party: string, readonly query: Omit<AsOfQuery, 'at'>, readonly issue?: string, readonly read?: ReadContext) {
    super();
  }
}

/** Every change of a party's stances (withdrawals included), as known at knownAt, in valid-time order. */
@QueryHandler(GetHistory)
export class GetHistoryHandler implements IQueryHandler<GetHistory> {
  constructor(private readonly gate: ReadGate) {}

  async execute({ negotiationId, party, query, issue, read }: GetHistory) {
    const { db, asOf } = await openAsOf(this.gate, negotiationId, query, read);
    checkParties([party], (await partiesKnown(db, negotiationId, asOf)).map((p) => p.party), [['party']]);
    const changes = await timelineOf(db, negotiationId, [party], asOf, issue);
    const coders = await codersOf(db, changes.map((c) => c.eventId));
    return { party, knownAt: asOf.knownAt.toISOString(), ...readStamp(asOf), changes: changes.map(({ countsFrom: _countsFrom, ...change }) => ({ ...change, ...coders(change.eventId) })) };
  }
}


export class GetEvidence extends Query<{ at: string; knownAt: string; publicAt: string | null; version: number; window: string; cells: EvidenceCell[] }> {
  constructor(
    readonly negotiationId: string,
    readonly query: AsOfQuery,
    readonly window: { ms: number; iso: string },
    readonly read?: ReadContext,
  ) {
    super();
  }
}

/** Each cell read from all its statements in the window, weighted by their evidence (evidence.ts). */
@QueryHandler(GetEvidence)
export class GetEvidenceHandler implements IQueryHandler<GetEvidence> {
  constructor(private readonly gate: ReadGate) {}

  async execute({ negotiationId, query, window, read }: GetEvidence) {
    const { db, asOf } = await openAsOf(this.gate, negotiationId, query, read);
    const [parties, issues] = await Promise.all([partiesKnown(db, negotiationId, asOf), issuesKnown(db, negotiationId, asOf)]);
    const timeline = parties.length === 0 ? [] : await timelineOf(db, negotiationId, parties.map((p) => p.party), asOf);
    return { ...stamp(asOf), window: window.iso, cells: evidenceAt(timeline, issues, asOf.at, window.ms) };
  }
}

export const analysisHandlers = [GetZonesHandler, GetOutcomesHandler, GetConcessionsHandler, GetHistoryHandler, GetEvidenceHandler];
