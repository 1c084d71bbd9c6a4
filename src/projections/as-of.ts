import type { EventData, NegotiationEvent, NegotiationEventType, Source } from '../negotiation/events';

/** Valid time (`at`) and recorded time (`knownAt`) of a question. */
export interface AsOf {
  at: Date;
  knownAt: Date;
}

/** A position-carrying event as known at some knownAt: latest correction applied. */
export interface EffectiveEvent {
  id: string;
  type: NegotiationEventType;
  data: unknown;
  occurredAt: Date;
  globalPosition: number;
  source: Source | null;
}

/** One party's stance-relevant statement on one issue, taken from an effective event. */
export type Fact =
  | { kind: 'set'; value: number; salience: number | null; summary: string | null }
  | { kind: 'withdraw'; summary: string | null }
  | { kind: 'red-line'; min: number | null; max: number | null; summary: string | null };

export interface PartyIssueFact {
  party: string;
  issue: string;
  fact: Fact;
}

/**
 * The position-carrying events known at `knownAt`, as they stand then: retracted ones gone
 * (as if never taken), corrected ones with the data and occurredAt of their latest correction
 * known at `knownAt` (latest = highest global position).
 */
export function effectiveEvents(events: NegotiationEvent[], knownAt: Date): EffectiveEvent[] {
  const known = events.filter((e) => e.recordedAt.getTime() <= knownAt.getTime());
  const retracted = new Set<string>();
  const corrections = new Map<string, EventData['EventCorrected']>();
  for (const event of [...known].sort((a, b) => a.globalPosition - b.globalPosition)) {
    if (event.type === 'EventRetracted') retracted.add(event.data.target);
    if (event.type === 'EventCorrected') corrections.set(event.data.target, event.data);
  }
  const effective: EffectiveEvent[] = [];
  for (const event of known) {
    if (event.type === 'EventRetracted' || event.type === 'EventCorrected') continue;
    if (retracted.has(event.id)) continue;
    const correction = corrections.get(event.id);
    effective.push({
      id: event.id,
      type: event.type,
      data: correction ? correction.data : event.data,
      occurredAt: correction?.occurredAt ? new Date(correction.occurredAt) : event.occurredAt,
      globalPosition: event.globalPosition,
      source: event.source ?? null,
    });
  }
  return effective;
}

/** What an event says about each (party, issue) it touches. */
export function factsOf(type: NegotiationEventType, data: unknown): PartyIssueFact[] {
  switch (type) {
    case 'PositionStated': {
      const d = data as EventData['PositionStated'];
      return [{ party: d.party, issue: d.issue, fact: { kind: 'set', value: d.value, salience: d.salience ?? null, summary: d.summary ?? null } }];
    }
    case 'ProposalTabled': {
      const d = data as EventData['ProposalTabled'];
      return d.sponsors.flatMap((party) =>
        d.positions.map((p) => ({
          party,
          issue: p.issue,
          fact: { kind: 'set' as const, value: p.value, salience: null, summary: p.summary ?? d.title },
        })),
      );
    }
    case 'MeetingHeld': {
      const d = data as EventData['MeetingHeld'];
      return (d.positions ?? []).map((p) => ({
        party: p.party,
        issue: p.issue,
        fact: { kind: 'set' as const, value: p.value, salience: null, summary: p.summary ?? d.summary ?? null },
      }));
    }
    case 'PositionWithdrawn': {
      const d = data as EventData['PositionWithdrawn'];
      return [{ party: d.party, issue: d.issue, fact: { kind: 'withdraw', summary: d.summary ?? null } }];
    }
    case 'RedLineDeclared': {
      const d = data as EventData['RedLineDeclared'];
      return [
        {
          party: d.party,
          issue: d.issue,
          fact: { kind: 'red-line', min: d.acceptable.min ?? null, max: d.acceptable.max ?? null, summary: d.summary ?? null },
        },
      ];
    }
    default:
      return [];
  }
}

export interface Stance {
  party: string;
  issue: string;
  value: number;
  salience: number | null;
  since: Date;
  eventId: string;
  summary: string | null;
  source: Source | null;
}

export interface RedLine {
  party: string;
  issue: string;
  min: number | null;
  max: number | null;
  since: Date;
  eventId: string;
  summary: string | null;
  source: Source | null;
}

interface Located {
  event: EffectiveEvent;
  party: string;
  issue: string;
  fact: Fact;
}

/** Later in valid time wins; on the same occurredAt, the higher global position. */
function later(a: EffectiveEvent, b: EffectiveEvent): boolean {
  const diff = a.occurredAt.getTime() - b.occurredAt.getTime();
  return diff > 0 || (diff === 0 && a.globalPosition > b.globalPosition);
}

function latestPerPartyIssue(
  events: NegotiationEvent[],
  { at, knownAt }: AsOf,
  keep: (fact: Fact) => boolean,
): Map<string, Located> {
  const latest = new Map<string, Located>();
  for (const event of effectiveEvents(events, knownAt)) {
    if (event.occurredAt.getTime() > at.getTime()) continue;
    for (const { party, issue, fact } of factsOf(event.type, event.data)) {
      if (!keep(fact)) continue;
      const key = `${party}\u0000${issue}`;
      const current = latest.get(key);
      if (!current || later(event, current.event)) latest.set(key, { event, party, issue, fact });
    }
  }
  return latest;
}

const byPartyIssue = (a: { party: string; issue: string }, b: { party: string; issue: string }) =>
  a.party.localeCompare(b.party) || a.issue.localeCompare(b.issue);

/**
 * The contract's as-of rule, computed by folding the whole log: the reference the indexed
 * projections are tested against. Stance = latest setting or withdrawing fact with
 * occurredAt <= at among events known at knownAt; salience = latest salience given.
 */
export function stancesAsOf(events: NegotiationEvent[], asOf: AsOf): Stance[] {
  const positions = latestPerPartyIssue(events, asOf, (f) => f.kind !== 'red-line');
  const saliences = latestPerPartyIssue(events, asOf, (f) => f.kind === 'set' && f.salience !== null);
  const stances: Stance[] = [];
  for (const [key, { event, party, issue, fact }] of positions) {
    if (fact.kind !== 'set') continue;
    const salience = saliences.get(key)?.fact;
    stances.push({
      party,
      issue,
      value: fact.value,
      salience: salience?.kind === 'set' ? salience.salience : null,
      since: event.occurredAt,
      eventId: event.id,
      summary: fact.summary,
      source: event.source,
    });
  }
  return stances.sort(byPartyIssue);
}

export function redLinesAsOf(events: NegotiationEvent[], asOf: AsOf): RedLine[] {
  const lines = latestPerPartyIssue(events, asOf, (f) => f.kind === 'red-line');
  return [...lines.values()]
    .flatMap(({ event, party, issue, fact }) =>
      fact.kind === 'red-line'
        ? [{ party, issue, min: fact.min, max: fact.max, since: event.occurredAt, eventId: event.id, summary: fact.summary, source: event.source }]
        : [],
    )
    .sort(byPartyIssue);
}
