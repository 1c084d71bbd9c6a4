import { concessions } from '../../../src/negotiation/analysis/concessions';
import { imputedCapability, outcomes, weightedMedian } from '../../../src/negotiation/analysis/outcomes';
import { zonesOfAgreement } from '../../../src/negotiation/analysis/zones';
import type { RedLine, Stance } from '../../../src/negotiation/stances/stance';
import type { KnownIssue, KnownParty } from '../../../src/negotiation/stances/stance.repository';

const issue = (slug: string, min = 0, max = 100): KnownIssue => ({ issue: slug, title: slug, scale: { min, max, labels: {} }, keywords: [], statusQuo: null });
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

  it('given only Russia declared a line and Ukraine states 0, then the zone is not determined, Ukraine is assumed, and its stance lies outside', () => {
    // The issue's case: only Russia draws a line (here: at least 100); the others are assumed to accept anything.
    const [zone] = zonesOfAgreement(['russia', 'ukraine'], [issue('foreign-forces')], [line('russia', 'foreign-forces', 100, null)], [stance('ukraine', 'foreign-forces', 0), stance('russia', 'foreign-forces', 100)]);
    expect(zone).toMatchObject({ zone: { from: 100, to: 100 }, determined: false, assumed: ['ukraine'], outside: [{ party: 'ukraine', value: 0 }] });
    expect(zone!.bounds).toEqual([
      { party: 'russia', min: 100, max: 100, declared: true, redLine: true },
      { party: 'ukraine', min: 0, max: 100, declared: false, redLine: false },
    ]);
  });

  it('given every party with a stance declared its range, then the zone is determined', () => {
    const [zone] = zonesOfAgreement(['us', 'russia'], [issue('crimea')], [line('us', 'crimea', null, 90), line('russia', 'crimea', 70, null)], [stance('us', 'crimea', 80), stance('russia', 'crimea', 95)]);
    expect(zone).toMatchObject({ determined: true, assumed: [], outside: [{ party: 'russia', value: 95 }] });
  });
});

describe('outcomes: weighted median', () => {
  it('is the first value whose cumulative weight reaches half, and the midpoint on an exact half', () => {
    expect(weightedMedian([{ value: 0, weight: 1 }, { value: 50, weight: 1 }, { value: 100, weight: 3 }])).toBe(100);
    expect(weightedMedian([{ value: 0, weight: 2 }, { value: 50, weight: 1 }, { value: 100, weight: 1 }])).toBe(25);
    expect(weightedMedian([{ value: 10, weight: 1 }, { value: 30, weight: 1 }, { value: 90, weight: 1 }])).toBe(30);
    expect(weightedMedian([{ value: 10, weight: 0 }])).toBeNull();
  });

  it('reports coverage, feasibility against declared red lines and gaps on the 0–100 scale', () => {
    const scale = issue('crimea', 0, 10);
    const [result] = outcomes('weighted-median', [party('us'), party('ukraine'), party('russia')], [scale], [stance('us', 'crimea', 9, 0.9), stance('ukraine', 'crimea', 0, 0.5)], [line('ukraine', 'crimea', null, 5)]);
    // Weights 0.9 and 0.5: the median is the US stance, 9, beyond Ukraine's line (max 5).
    expect(result).toMatchObject({ model: 'weighted-median', outcome: 9, feasible: false, breaks: ['ukraine'], coverage: { counted: ['us', 'ukraine'], missing: ['russia'] } });
    expect(result!.parties.find((p) => p.party === 'ukraine')).toMatchObject({ distance: 9, gap: 90 });
  });
});

describe('outcomes: compromise model', () => {
  it('weights each stance by capability × salience, a missing salience counting as 0.5', () => {
    const [outcome] = outcomes('compromise', [party('us', 1), party('ukraine', 0.5)], [issue('crimea')], [stance('us', 'crimea', 100, 0.9), stance('ukraine', 'crimea', 0)]);
    // us weight 1 × 0.9, ukraine 0.5 × 0.5: 90 / 1.15.
    expect(outcome!.outcome).toBeCloseTo(90 / 1.15, 12);
    expect(outcome!.parties.find((p) => p.party === 'ukraine')!.distance).toBeCloseTo(90 / 1.15, 12);
  });

  it('counts an uncoded capability as the mean of the coded ones, never above every coded party, and says what it imputed', () => {
    const parties = [party('us'), party('ukraine', 0.2), party('europe', 0.4)];
    expect(imputedCapability(parties)).toBeCloseTo(0.3, 12);
    expect(imputedCapability([party('us'), party('ukraine')])).toBe(1);
    const [outcome] = outcomes('compromise', parties, [issue('crimea')], [stance('us', 'crimea', 100), stance('ukraine', 'crimea', 0, 1), stance('europe', 'crimea', 0, 1)]);
    // us 0.3 × 0.5 (both imputed), ukraine 0.2 × 1, europe 0.4 × 1: 15 / 0.75 = 20. Counting the
    // uncoded US as 1 would have given 50 / 1.1 ≈ 45: the one party nobody coded outweighing both.
    expect(outcome!.outcome).toBeCloseTo(20, 12);
    expect(outcome!.parties.map((p) => [p.party, p.imputed])).toEqual([
      ['us', ['capability', 'salience']],
      ['ukraine', []],
      ['europe', []],
    ]);
  });

  it('warns of every party the outcome was computed without, naming one with a red line on the issue', () => {
    const [outcome] = outcomes('compromise', [party('us'), party('ukraine'), party('russia'), party('europe')], [issue('crimea')], [stance('us', 'crimea', 100), stance('ukraine', 'crimea', 0)], [line('russia', 'crimea', 90, null)]);
    expect(outcome!.feasible).toBe(false);
    expect(outcome!.warnings.map((w) => [w.party, w.code])).toEqual([
      ['russia', 'red_line_without_position'],
      ['europe', 'no_position'],
    ]);
  });

  it('gives the Nash bargaining solution against the issue\'s status quo, and no outcome without one', () => {
    const withQuo = { ...issue('crimea'), statusQuo: 100 };
    const [nash] = outcomes('nash', [party('us', 1), party('ukraine', 1)], [withQuo], [stance('us', 'crimea', 100, 1), stance('ukraine', 'crimea', 0, 1)]);
    // The US's ideal is the status quo: the only outcome both accept is 100.
    expect(nash!.outcome).toBe(100);
    const [none] = outcomes('nash', [party('us', 1)], [issue('crimea')], [stance('us', 'crimea', 100, 1)]);
    expect([none!.outcome, none!.feasible, none!.warnings.map((w) => w.code)]).toEqual([null, null, ['no_status_quo']]);
  });

  it('has no outcome when every weight is zero', () => {
    const [outcome] = outcomes('compromise', [party('us', 0)], [issue('crimea')], [stance('us', 'crimea', 100, 0.9)]);
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
