import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { EventToAppend } from '../../src/event-store/types';

/** Random negotiation histories for property tests: three parties, two issues, four days. */
export const PARTIES = ['p1', 'p2', 'p3'];
export const ISSUES = ['i1', 'i2'];
export const DAYS = [1, 2, 3, 4].map((d) => `2025-04-0${d}T00:00:00.000Z`);

export const step = fc.record({
  kind: fc.constantFrom('stated', 'stated', 'stated', 'proposal', 'meeting', 'withdrawn', 'red-line', 'corrected', 'retracted'),
  party: fc.nat(PARTIES.length - 1),
  other: fc.nat(PARTIES.length - 1),
  issue: fc.nat(ISSUES.length - 1),
  value: fc.integer({ min: 0, max: 100 }),
  salience: fc.option(fc.constantFrom(0, 0.3, 1), { nil: undefined }),
  day: fc.nat(DAYS.length - 1),
  moveDay: fc.option(fc.nat(DAYS.length - 1), { nil: undefined }),
  pick: fc.nat(),
  endBatch: fc.boolean(),
  // Uncertainty, basis, confidence and date precision, where a position may carry them.
  detail: fc.boolean(),
});

export type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

/**
 * Turns random steps into a valid event history, in batches (each batch one recordedAt). A
 * negotiation's opens it and defines its parties and issues; a scenario branch's (`opening`
 * false) holds positions alone, and corrects or retracts only its own.
 */
export function history(steps: Step[], opening = true): EventToAppend[][] {
  const at = (d: number) => new Date(DAYS[d]!);
  const batches: EventToAppend[][] = [opening ? [
    { type: 'NegotiationOpened', data: { title: 'P' }, occurredAt: at(0) },
    ...PARTIES.map((party) => ({ type: 'PartyAdded', data: { party, name: party }, occurredAt: at(0) })),
    ...ISSUES.map((issue) => ({ type: 'IssueDefined', data: { issue, title: issue }, occurredAt: at(0) })),
  ] : []];
  const targets: { id: string; type: string; data: unknown }[] = [];
  const retracted = new Set<string>();
  for (const s of steps) {
    const party = PARTIES[s.party]!;
    const issue = ISSUES[s.issue]!;
    const detail = s.detail ? { uncertainty: { low: Math.max(0, s.value - 10), high: Math.min(100, s.value + 15) }, basis: 'inferred' } : {};
    const stated = { party, issue, value: s.value, ...(s.salience === undefined ? {} : { salience: s.salience }), ...detail, ...(s.detail ? { confidence: 0.7, quote: 'q' } : {}) };
    const live = targets.filter((t) => !retracted.has(t.id));
    let event: EventToAppend;
    if ((s.kind === 'corrected' || s.kind === 'retracted') && live.length > 0) {
      const target = live[s.pick % live.length]!;
      if (s.kind === 'retracted') {
        retracted.add(target.id);
        event = { type: 'EventRetracted', data: { target: target.id, reason: 'r' }, occurredAt: at(s.day), metadata: amendmentSource(s) };
      } else {
        // Same type as the target, new content (and maybe a new valid time).
        const data = target.type === 'PositionStated' ? stated : { ...(target.data as object) };
        if (target.type === 'RedLineDeclared') Object.assign(data, { acceptable: { min: Math.min(s.value, 50) } });
        event = {
          type: 'EventCorrected',
          data: { target: target.id, data, ...(s.moveDay === undefined ? {} : { occurredAt: DAYS[s.moveDay] }) },
          occurredAt: at(s.day),
          metadata: amendmentSource(s),
        };
      }
    } else {
      const id = randomUUID();
      const other = PARTIES[s.other]!;
      const sponsors = other === party ? [party] : [party, other];
      const byKind: Record<string, { type: string; data: unknown }> = {
        proposal: { type: 'ProposalTabled', data: { proposal: 'x', title: 'X', sponsors, positions: [{ issue, value: s.value, ...detail }] } },
        meeting: { type: 'MeetingHeld', data: { participants: sponsors, positions: sponsors.map((p) => ({ party: p, issue, value: s.value, ...detail })) } },
        withdrawn: { type: 'PositionWithdrawn', data: { party, issue } },
        'red-line': { type: 'RedLineDeclared', data: { party, issue, acceptable: { max: s.value } } },
      };
      const { type, data } = byKind[s.kind] ?? { type: 'PositionStated', data: stated };
      // Some reports carry a publication date (a day after the fact), some none.
      const source = s.pick % 3 === 0 ? { source: { publisher: 'P', publishedAt: DAYS[Math.min(s.day + 1, DAYS.length - 1)]!.slice(0, 10) } } : {};
      event = { id, type, data, occurredAt: at(s.day), metadata: { ...(s.detail ? { datePrecision: 'week' } : {}), ...source } };
      targets.push({ id, type, data });
    }
    batches[batches.length - 1]!.push(event);
    if (s.endBatch) batches.push([]);
  }
  return batches.filter((b) => b.length > 0);
}


/** Some amendments cite a report of their own, published a day or two after the fact (corrections=public reads it). */
function amendmentSource(s: { pick: number; day: number }): Record<string, unknown> {
  return s.pick % 2 === 0 ? { source: { publisher: 'C', publishedAt: DAYS[Math.min(s.day + 1 + (s.pick % 4 === 0 ? 1 : 0), DAYS.length - 1)]!.slice(0, 10) } } : {};
}
