import type { TimelineFact } from './stance.repository';

/** A stance held at a point of a sweep: the fact that set it, and the salience in force. */
export type HeldStance = TimelineFact & { value: number; kind: 'set'; salience: number | null };

const key = (party: string, issue: string) => `${party}\u0000${issue}`;

/**
 * Walks a timeline (valid-time order, ties by position: as timelineOf returns it) once for
 * all points, in order: the stance of each (party, issue) at a point is its last fact at or
 * before it, a withdrawal leaving none, exactly as the as-of rule reads; salience is the last
 * one given by a position on that issue (a withdrawal does not reset it). The property test
 * holds this sweep to the reference fold. `held` is one live map: read it before asking for
 * the next point.
 */
export function* stancesAlong(timeline: readonly TimelineFact[], points: readonly Date[]): Generator<{ at: Date; held: ReadonlyMap<string, HeldStance> }> {
  const held = new Map<string, HeldStance>();
  const saliences = new Map<string, number>();
  let next = 0;
  for (const at of points) {
    while (next < timeline.length && (timeline[next]!.countsFrom ?? timeline[next]!.occurredAt).getTime() <= at.getTime()) {
      const fact = timeline[next++]!;
      const k = key(fact.party, fact.issue);
      if (fact.kind === 'set' && fact.salience !== null) saliences.set(k, fact.salience);
      if (fact.kind === 'withdraw') held.delete(k);
      else held.set(k, { ...fact, kind: 'set', value: fact.value!, salience: saliences.get(k) ?? null });
    }
    yield { at, held };
  }
}

export const heldKey = key;
