import type { TimelineFact } from '../../../src/negotiation/stances/stance.repository';
import { heldKey, stancesAlong } from '../../../src/negotiation/stances/stance-sweep';

let position = 0;
const fact = (party: string, issue: string, day: number, value: number | null, extra: Partial<TimelineFact> = {}): TimelineFact => ({
  party,
  issue,
  kind: value === null ? 'withdraw' : 'set',
  value,
  salience: null,
  summary: null,
  eventId: `e${++position}`,
  eventPosition: position,
  occurredAt: new Date(Date.UTC(2025, 3, day)),
  recordedAt: new Date(Date.UTC(2025, 3, 30)),
  source: null,
  uncertainty: null,
  confidence: null,
  basis: null,
  datePrecision: null,
  ...extra,
});
const day = (d: number) => new Date(Date.UTC(2025, 3, d, 12));

/** Each point's stances as plain `party/issue=value (salience)` strings, read at that point (the map is live). */
function sweep(timeline: TimelineFact[], days: number[]): string[][] {
  const points: string[][] = [];
  for (const { held } of stancesAlong(timeline, days.map(day))) {
    points.push([...held.values()].map((s) => `${s.party}/${s.issue}=${s.value}${s.salience === null ? '' : ` (${s.salience})`}`).sort());
  }
  return points;
}

describe('stancesAlong: one walk through a timeline for every point', () => {
  it('holds each stance from its day on, the latest winning, nothing before the first', () => {
    const timeline = [fact('us', 'crimea', 2, 70), fact('ukraine', 'crimea', 3, 10), fact('us', 'crimea', 5, 60)];
    expect(sweep(timeline, [1, 2, 4, 5, 9])).toEqual([[], ['us/crimea=70'], ['ukraine/crimea=10', 'us/crimea=70'], ['ukraine/crimea=10', 'us/crimea=60'], ['ukraine/crimea=10', 'us/crimea=60']]);
  });

  it('drops a stance at a withdrawal, and holds the next one set again', () => {
    const timeline = [fact('us', 'nato', 1, 20), fact('us', 'nato', 3, null), fact('us', 'nato', 6, 35)];
    expect(sweep(timeline, [2, 4, 7])).toEqual([['us/nato=20'], [], ['us/nato=35']]);
  });

  it('keeps the last salience given on an issue: a position without one, or a withdrawal, does not reset it', () => {
    const timeline = [fact('us', 'sanctions', 1, 50, { salience: 0.9 }), fact('us', 'sanctions', 2, 55), fact('us', 'sanctions', 3, null), fact('us', 'sanctions', 4, 40)];
    expect(sweep(timeline, [1, 2, 3, 4])).toEqual([['us/sanctions=50 (0.9)'], ['us/sanctions=55 (0.9)'], [], ['us/sanctions=40 (0.9)']]);
  });

  it('keys stances by party and issue, apart from each other', () => {
    const timeline = [fact('us', 'crimea', 1, 1), fact('us', 'nato', 1, 2), fact('russia', 'crimea', 1, 3)];
    const held = stancesAlong(timeline, [day(1)]).next().value!.held;
    expect(held.get(heldKey('us', 'nato'))?.value).toBe(2);
    expect(held.get(heldKey('russia', 'crimea'))?.value).toBe(3);
    expect(held.get(heldKey('russia', 'nato'))).toBeUndefined();
  });
});
