import { randomUUID } from 'node:crypto';
import type { NegotiationEvent } from '../../../src/negotiation/domain/events';
import { projectionRows } from '../../../src/negotiation/stances/stance-rows';
import { factsOf } from '../../../src/negotiation/stances/stance';
import { redLinesAsOf, stancesAsOf } from '../../support/as-of-reference';
import { corrected, meeting, opened, party, issue, proposal, redLine, retracted, stated, withdrawn } from '../../support/builders';

type Wire = ReturnType<typeof stated>;

/** Given wire events, recorded one a day from 1 May 2025 (recorded time), in order. */
function given(...wires: (Wire & { id?: string })[]): NegotiationEvent[] {
  return wires.map((wire, i) => ({
    id: wire.id ?? randomUUID(),
    type: wire.type,
    data: wire.data,
    occurredAt: new Date(wire.occurredAt),
    recordedAt: new Date(Date.UTC(2025, 4, 1 + i)),
    globalPosition: i + 1,
    streamVersion: i + 1,
  })) as NegotiationEvent[];
}

const at = (date: string, knownAt = '2030-01-01') => ({ at: new Date(`${date}T23:59:59Z`), knownAt: new Date(`${knownAt}T23:59:59Z`) });
const values = (events: NegotiationEvent[], when: ReturnType<typeof at>) =>
  Object.fromEntries(stancesAsOf(events, when).map((s) => [`${s.party}/${s.issue}`, s.value]));
const setup = [opened(), party('us'), party('ukraine'), issue('crimea'), issue('nato')];

describe('the stance fold', () => {
  describe('factsOf: what an event says about each (party, issue)', () => {
    it('gives every sponsor of a proposal a position on each of its issues', () => {
      const facts = factsOf('ProposalTabled', proposal('paris', ['us', 'europe'], [{ issue: 'crimea', value: 100 }], '2025-04-17').data);
      expect(facts.map((f) => [f.party, f.issue, f.fact.kind === 'set' && f.fact.value])).toEqual([
        ['us', 'crimea', 100],
        ['europe', 'crimea', 100],
      ]);
    });

    it('reads meeting positions, withdrawals and red lines', () => {
      expect(factsOf('MeetingHeld', meeting(['us', 'russia'], '2025-04-25', [{ party: 'russia', issue: 'nato', value: 100 }]).data)).toHaveLength(1);
      expect(factsOf('PositionWithdrawn', withdrawn('us', 'crimea', '2025-04-26').data)[0]!.fact.kind).toBe('withdraw');
      expect(factsOf('RedLineDeclared', redLine('ukraine', 'crimea', { max: 10 }, '2025-04-26').data)[0]!.fact).toEqual({ kind: 'red-line', min: null, max: 10, summary: null });
      expect(factsOf('NegotiationOpened', opened().data)).toEqual([]);
    });
  });

  describe('as of a date (the reference fold)', () => {
    it('takes the latest position in valid time, whatever order the news arrived in', () => {
      // When the 20 April statement arrives after the 24 April one...
      const events = given(...setup, stated('us', 'crimea', 80, '2025-04-24'), stated('us', 'crimea', 100, '2025-04-20'));
      // ...then it holds from 20 to 23 April and the later one from the 24th.
      expect(values(events, at('2025-04-21'))).toEqual({ 'us/crimea': 100 });
      expect(values(events, at('2025-04-25'))).toEqual({ 'us/crimea': 80 });
    });

    it('knows only what was recorded by knownAt', () => {
      const events = given(...setup, stated('us', 'crimea', 100, '2025-04-17'));
      // The statement is the 6th event, recorded on 6 May.
      expect(values(events, at('2025-04-20', '2025-05-05'))).toEqual({});
      expect(values(events, at('2025-04-20', '2025-05-06'))).toEqual({ 'us/crimea': 100 });
    });

    it('applies a correction from its own recordedAt, and a retraction as if the stance were never taken', () => {
      const first = randomUUID();
      const second = randomUUID();
      const events = given(
        ...setup,
        { ...stated('us', 'crimea', 100, '2025-04-17'), id: first },
        { ...stated('ukraine', 'crimea', 0, '2025-04-23'), id: second },
        corrected(first, { party: 'us', issue: 'crimea', value: 90 }, '2025-04-30'),
        retracted(second, '2025-04-30'),
      );
      expect(values(events, at('2025-04-25', '2025-05-07'))).toEqual({ 'us/crimea': 100, 'ukraine/crimea': 0 });
      expect(values(events, at('2025-04-25'))).toEqual({ 'us/crimea': 90 });
    });

    it('drops a withdrawn stance from its valid time on, and keeps red lines apart', () => {
      const events = given(...setup, stated('us', 'nato', 0, '2025-04-17'), withdrawn('us', 'nato', '2025-04-22'), redLine('ukraine', 'nato', { min: 50 }, '2025-04-18'));
      expect(values(events, at('2025-04-20'))).toEqual({ 'us/nato': 0 });
      expect(values(events, at('2025-04-23'))).toEqual({});
      expect(redLinesAsOf(events, at('2025-04-23')).map((r) => [r.party, r.min, r.max])).toEqual([['ukraine', 50, null]]);
    });
  });

  describe('projectionRows: what one event adds to the tables', () => {
    it('adds a version and a fact for a statement, and only a version for a retraction', () => {
      const [statement] = given(stated('us', 'crimea', 100, '2025-04-17', { salience: 0.9 }));
      const rows = projectionRows('n', statement!);
      expect(rows.versions).toEqual([expect.objectContaining({ event_id: statement!.id, version_position: 1, retracted: false })]);
      expect(rows.facts).toEqual([expect.objectContaining({ party: 'us', issue: 'crimea', kind: 'set', value: 100, salience: 0.9 })]);

      const [, retraction] = given(stated('us', 'crimea', 100, '2025-04-17'), retracted(statement!.id, '2025-04-30'));
      const target = { eventId: statement!.id, type: 'PositionStated' as const, occurredAt: statement!.occurredAt, eventPosition: 1, source: null, datePrecision: null, publicAt: statement!.recordedAt };
      const undone = projectionRows('n', retraction!, target);
      expect(undone.versions).toEqual([expect.objectContaining({ event_id: statement!.id, version_position: 2, retracted: true })]);
      expect(undone.facts).toEqual([]);
    });

    it('refuses a correction whose target it was not given', () => {
      const [correction] = given(corrected(randomUUID(), {}, '2025-04-30'));
      expect(() => projectionRows('n', correction!)).toThrow(/is not projected/);
    });
  });
});
