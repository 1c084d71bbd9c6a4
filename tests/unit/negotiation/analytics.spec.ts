import { compromiseOutcomes, concessions, zonesOfAgreement } from '../../../src/negotiation/analysis/analytics';
import type { RedLine, Stance } from '../../../src/negotiation/stances/stance';
import type { KnownIssue, KnownParty } from '../../../src/negotiation/stances/stance.repository';

const issue = (slug: string, min = 0, max = 100): KnownIssue => ({ issue: slug, title: slug, scale: { min, max, labels: {} } });
const party = (slug: string, capability: number | null = null): KnownParty => ({ party: slug, name: slug, aliases: [], capability });
const stance = (p: string, i: string, value: number, salience: number | null = null): Stance => ({
  party: p,
  issue: i,
  value,
  salience,
  since: new Date('2025-04-20T00:00:00Z'),
  sincePrecision: 'instant',
  eventId: `${p}-${i}`,
  summary: null,
  source: null,
  confidence: null,
  quote: null,
  uncertainty: null,
  basis: null,
});
const line = (p: string, i: string, min: number | null, max: number | null): RedLine => ({ party: p, issue: i, min, max, since: new Date(0), eventId: `${p}-line`, summary: null, source: null });

describe('zonesOfAgreement', () => {
  it('given red lines that overlap, when zoned, then the zone is their overlap', () => {
    const [zone] = zonesOfAgreement(['us', 'russia'], [issue('crimea')], [line('us', 'crimea', null, 90), line('russia', 'crimea', 70, null)]);
    expect(zone).toMatchObject({ issue: 'crimea', z: 20, zone: { from: 70, to: 90 }, shortfall: null });
  });

  it('given lines that do not meet, then there is no zone and the shortfall says how far apart', () => {
    const [zone] = zonesOfAgreement(['ukraine', 'russia'], [issue('crimea')], [line('ukraine', 'crimea', null, 10), line('russia', 'crimea', 70, null)]);
    expect(zone).toMatchObject({ z: -60, zone: null, shortfall: 60 });
  });

  it('leaves out issues on which nobody drew a line', () => {
    expect(zonesOfAgreement(['us', 'russia'], [issue('nato')], [])).toEqual([]);
  });
});

describe('compromiseOutcomes', () => {
  it('weights each stance by capability × salience, a missing salience counting as 0.5', () => {
    const [outcome] = compromiseOutcomes([party('us', 1), party('ukraine', 0.5)], [issue('crimea')], [stance('us', 'crimea', 100, 0.9), stance('ukraine', 'crimea', 0)]);
    // us weight 1 × 0.9, ukraine 0.5 × 0.5: 90 / 1.15.
    expect(outcome!.outcome).toBeCloseTo(90 / 1.15, 12);
    expect(outcome!.parties.find((p) => p.party === 'ukraine')!.distance).toBeCloseTo(90 / 1.15, 12);
  });

  it('has no outcome when every weight is zero', () => {
    const [outcome] = compromiseOutcomes([party('us', 0)], [issue('crimea')], [stance('us', 'crimea', 100, 0.9)]);
    expect(outcome!.outcome).toBeNull();
  });
});

describe('concessions', () => {
  it('measures a move toward where the other side stood at the start, on the 0–100 scale', () => {
    const before = [stance('us', 'crimea', 80), stance('ukraine', 'crimea', 20)];
    const after = [stance('us', 'crimea', 60), stance('ukraine', 'crimea', 0)];
    expect(concessions('us', 'ukraine', [issue('crimea')], before, after)).toEqual([{ issue: 'crimea', concession: 20, from: { a: 80, b: 20 }, to: { a: 60 } }]);
  });

  it('counts a move away as negative, and skips issues without both starting stances', () => {
    const before = [stance('us', 'x', 50, null), stance('ukraine', 'x', 0), stance('us', 'y', 50)];
    const after = [stance('us', 'x', 70), stance('us', 'y', 10)];
    expect(concessions('us', 'ukraine', [issue('x', 0, 200), issue('y')], before, after)).toEqual([{ issue: 'x', concession: -10, from: { a: 50, b: 0 }, to: { a: 70 } }]);
  });
});
