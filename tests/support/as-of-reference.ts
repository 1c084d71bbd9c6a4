import type { DatePrecision, EventData, NegotiationEvent, NegotiationEventType, Source } from '../../src/negotiation/domain/events';
import { factsOf, publicTime, type AsOf, type Fact, type RedLine, type Stance } from '../../src/negotiation/stances/stance';

/**
 * The contract's as-of rule in its plainest form: fold the whole log, no index, no SQL. It is
 * the specification the property tests hold the indexed projection, the gap series and the
 * alert measurements to; it is not shipped.
 */

/** A position-carrying event as known at some knownAt: latest correction applied. */
export interface EffectiveEvent {
  id: string;
  type: NegotiationEventType;
  data: unknown;
  occurredAt: Date;
  globalPosition: number;
  source: Source | null;
  datePrecision: DatePrecision;
}

/**
 * The position-carrying events known at `knownAt`, as they stand then: retracted ones gone
 * (as if never taken), corrected ones with the data and occurredAt of their latest correction
 * known at `knownAt` (latest = highest global position).
 */
export function effectiveEvents(events: NegotiationEvent[], knownAt: Date, publicAt?: Date, amendments: AsOf['corrections'] = 'known'): EffectiveEvent[] {
  // corrections=public (with publicAt): an amendment counts only once its own report was out.
  const amendmentOut = (e: NegotiationEvent) => !publicAt || amendments !== 'public' || publicTime(e.source, e.recordedAt).getTime() <= publicAt.getTime();
  const known = events.filter((e) => e.recordedAt.getTime() <= knownAt.getTime() && (!(e.type === 'EventRetracted' || e.type === 'EventCorrected') || amendmentOut(e)));
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
    // What was public: the report itself must be out by publicAt; its corrections apply by knownAt.
    if (publicAt && publicTime(event.source, event.recordedAt).getTime() > publicAt.getTime()) continue;
    const correction = corrections.get(event.id);
    effective.push({
      id: event.id,
      type: event.type,
      data: correction ? correction.data : event.data,
      occurredAt: correction?.occurredAt ? new Date(correction.occurredAt) : event.occurredAt,
      globalPosition: event.globalPosition,
      source: event.source ?? null,
      datePrecision: event.datePrecision ?? 'instant',
    });
  }
  return effective;
}
interface Located {
  event: EffectiveEvent;
  party: string;
  issue: string;
  fact: Fact;
}

/**
 * When an event counts in valid time: its occurredAt (the start of its period, the contract's
 * rule) or, with `periods: 'end'`, the last millisecond of its day, week (7 days) or month.
 */
function countsFrom(event: EffectiveEvent, periods: AsOf['periods']): number {
  if (periods !== 'end' || event.datePrecision === 'instant') return event.occurredAt.getTime();
  const end = new Date(event.occurredAt);
  if (event.datePrecision === 'day') end.setUTCDate(end.getUTCDate() + 1);
  if (event.datePrecision === 'week') end.setUTCDate(end.getUTCDate() + 7);
  if (event.datePrecision === 'month') end.setUTCMonth(end.getUTCMonth() + 1);
  return end.getTime() - 1;
}

/** Later in valid time wins; at the same time, the higher global position. */
function later(a: EffectiveEvent, b: EffectiveEvent, periods: AsOf['periods']): boolean {
  const diff = countsFrom(a, periods) - countsFrom(b, periods);
  return diff > 0 || (diff === 0 && a.globalPosition > b.globalPosition);
}

/** Which effective events a question counts beyond the as-of rule (a branch's fork, say): all by default. */
export type Visible = (event: EffectiveEvent) => boolean;

function latestPerPartyIssue(
  events: NegotiationEvent[],
  { at, knownAt, publicAt, periods, corrections }: AsOf,
  keep: (fact: Fact) => boolean,
  visible: Visible = () => true,
): Map<string, Located> {
  const latest = new Map<string, Located>();
  for (const event of effectiveEvents(events, knownAt, publicAt, corrections)) {
    if (countsFrom(event, periods) > at.getTime() || !visible(event)) continue;
    for (const { party, issue, fact } of factsOf(event.type, event.data)) {
      if (!keep(fact)) continue;
      const key = `${party}\u0000${issue}`;
      const current = latest.get(key);
      if (!current || later(event, current.event, periods)) latest.set(key, { event, party, issue, fact });
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
export function stancesAsOf(events: NegotiationEvent[], asOf: AsOf, visible?: Visible): Stance[] {
  const positions = latestPerPartyIssue(events, asOf, (f) => f.kind !== 'red-line', visible);
  const saliences = latestPerPartyIssue(events, asOf, (f) => f.kind === 'set' && f.salience !== null, visible);
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
      sincePrecision: event.datePrecision,
      eventId: event.id,
      summary: fact.summary,
      source: event.source,
      confidence: fact.confidence,
      quote: fact.quote,
      uncertainty: fact.uncertainty,
      basis: fact.basis,
    });
  }
  return stances.sort(byPartyIssue);
}

export function redLinesAsOf(events: NegotiationEvent[], asOf: AsOf, visible?: Visible): RedLine[] {
  const lines = latestPerPartyIssue(events, asOf, (f) => f.kind === 'red-line', visible);
  return [...lines.values()]
    .flatMap(({ event, party, issue, fact }) =>
      fact.kind === 'red-line'
        ? [{ party, issue, min: fact.min, max: fact.max, since: event.occurredAt, eventId: event.id, summary: fact.summary, source: event.source }]
        : [],
    )
    .sort(byPartyIssue);
}

/**
 * A scenario branch by the same plain fold: the record's events up to the base (and, forked at a
 * date, effective by then) with every event of the branch's own, which all come after the base.
 */
export function branchLog(record: NegotiationEvent[], branch: NegotiationEvent[], base: number, until: Date | null): { events: NegotiationEvent[]; visible: Visible } {
  return {
    events: [...record.filter((e) => e.globalPosition <= base), ...branch],
    visible: (e) => e.globalPosition > base || until === null || e.occurredAt.getTime() <= until.getTime(),
  };
}
