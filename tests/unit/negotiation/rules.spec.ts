import { randomUUID } from 'node:crypto';
import { asDomainEvent, type NegotiationEventType } from '../../../src/negotiation/domain/events';
import { checkEvent } from '../../../src/negotiation/domain/rules';
import { evolve, initialState } from '../../../src/negotiation/domain/state';

type Given = { id?: string; type: NegotiationEventType; data: unknown };

const NOW = new Date('2025-05-01T00:00:00Z');
const at = (iso = '2025-04-20T00:00:00Z') => new Date(iso);

/** given(events).when(event) → the rule issues, as codes with paths. */
function given(events: Given[]) {
  const state = initialState();
  for (const e of events) evolve(state, asDomainEvent({ id: e.id ?? randomUUID(), type: e.type, data: e.data, occurredAt: at() }));
  return {
    when: (type: NegotiationEventType, data: unknown, occurredAt = at()) =>
      checkEvent(state, asDomainEvent({ id: randomUUID(), type, data, occurredAt }), NOW).map((i) => `${i.code} ${i.path.join('.')}`),
  };
}

const base: Given[] = [
  { type: 'NegotiationOpened', data: { title: 'T' } },
  { type: 'PartyAdded', data: { party: 'us', name: 'US' } },
  { type: 'PartyAdded', data: { party: 'russia', name: 'Russia' } },
  { type: 'IssueDefined', data: { issue: 'crimea', title: 'Crimea' } },
  { type: 'IssueDefined', data: { issue: 'tariff', title: 'Tariff', scale: { min: -5, max: 5 } } },
];

describe('negotiation rules', () => {
  it('accepts a position on a known issue within its scale', () => {
    expect(given(base).when('PositionStated', { party: 'us', issue: 'crimea', value: 100 })).toEqual([]);
    expect(given(base).when('PositionStated', { party: 'us', issue: 'tariff', value: -5 })).toEqual([]);
  });

  it('requires the negotiation to be opened first, and only once', () => {
    expect(given([]).when('PartyAdded', { party: 'us', name: 'US' })).toEqual(['NEGOTIATION.NOT_OPENED type']);
    expect(given(base).when('NegotiationOpened', { title: 'again' })).toEqual(['NEGOTIATION.ALREADY_OPENED type']);
  });

  it('names an unknown party, an unknown issue and a value off the scale', () => {
    expect(given(base).when('PositionStated', { party: 'eu', issue: 'crimea', value: 1 })).toEqual([
      'NEGOTIATION.UNKNOWN_PARTY data.party',
    ]);
    expect(given(base).when('PositionStated', { party: 'us', issue: 'nato', value: 1 })).toEqual([
      'NEGOTIATION.UNKNOWN_ISSUE data.issue',
    ]);
    expect(given(base).when('PositionStated', { party: 'us', issue: 'tariff', value: 6 })).toEqual([
      'NEGOTIATION.VALUE_OFF_SCALE data.value',
    ]);
  });

  it('checks every sponsor and position of a proposal', () => {
    const proposal = {
      proposal: 'p',
      title: 'P',
      sponsors: ['us', 'eu'],
      positions: [
        { issue: 'crimea', value: 50 },
        { issue: 'tariff', value: 50 },
      ],
    };
    expect(given(base).when('ProposalTabled', proposal)).toEqual([
      'NEGOTIATION.UNKNOWN_PARTY data.sponsors.1',
      'NEGOTIATION.VALUE_OFF_SCALE data.positions.1.value',
    ]);
  });

  it('refuses a party or issue added twice', () => {
    expect(given(base).when('PartyAdded', { party: 'us', name: 'US' })).toEqual(['NEGOTIATION.DUPLICATE_PARTY data.party']);
    expect(given(base).when('IssueDefined', { issue: 'crimea', title: 'C' })).toEqual([
      'NEGOTIATION.DUPLICATE_ISSUE data.issue',
    ]);
  });

  it('keeps red line bounds on the scale', () => {
    expect(given(base).when('RedLineDeclared', { party: 'russia', issue: 'tariff', acceptable: { min: -9 } })).toEqual([
      'NEGOTIATION.VALUE_OFF_SCALE data.acceptable.min',
    ]);
  });

  it('refuses a date more than a minute in the future', () => {
    const data = { party: 'us', issue: 'crimea', value: 1 };
    expect(given(base).when('PositionStated', data, new Date(NOW.getTime() + 59_000))).toEqual([]);
    expect(given(base).when('PositionStated', data, new Date(NOW.getTime() + 61_000))).toEqual([
      'NEGOTIATION.FUTURE_DATE occurredAt',
    ]);
  });

  describe('corrections and retractions', () => {
    const positionId = randomUUID();
    const history: Given[] = [...base, { id: positionId, type: 'PositionStated', data: { party: 'us', issue: 'crimea', value: 1 } }];

    it('target a position-carrying event of this negotiation', () => {
      expect(given(history).when('EventRetracted', { target: positionId, reason: 'wrong' })).toEqual([]);
      expect(given(history).when('EventRetracted', { target: randomUUID(), reason: 'x' })).toEqual([
        'NEGOTIATION.UNKNOWN_TARGET data.target',
      ]);
    });

    it('refuse a target already retracted', () => {
      const retracted = [...history, { type: 'EventRetracted' as const, data: { target: positionId, reason: 'x' } }];
      expect(given(retracted).when('EventRetracted', { target: positionId, reason: 'again' })).toEqual([
        'NEGOTIATION.TARGET_RETRACTED data.target',
      ]);
      expect(
        given(retracted).when('EventCorrected', { target: positionId, data: { party: 'us', issue: 'crimea', value: 2 } }),
      ).toEqual(['NEGOTIATION.TARGET_RETRACTED data.target']);
    });

    it('validate the corrected data as the target type, rules included', () => {
      expect(
        given(history).when('EventCorrected', { target: positionId, data: { party: 'us', issue: 'crimea', value: 5 } }),
      ).toEqual([]);
      expect(given(history).when('EventCorrected', { target: positionId, data: { party: 'us', issue: 'crimea' } })).toEqual([
        'NEGOTIATION.INVALID_CORRECTION data.data.value',
      ]);
      expect(
        given(history).when('EventCorrected', { target: positionId, data: { party: 'us', issue: 'crimea', value: 500 } }),
      ).toEqual(['NEGOTIATION.VALUE_OFF_SCALE data.data.value']);
    });
  });
});
