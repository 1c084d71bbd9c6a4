import { appendsOf } from '../../../src/alerting/evaluate-batch';
import type { StoredEvent } from '../../../src/event-store/types';

/** Events at positions from `first`, in `streams`, each ending its append where `ends` says. */
function events(first: number, specs: { stream: string; ends: boolean }[]): StoredEvent[] {
  return specs.map(({ stream, ends }, i) => ({
    id: `e${first + i}`,
    streamId: stream,
    streamVersion: first + i,
    globalPosition: first + i,
    type: 'PositionStated',
    schemaVersion: 1,
    data: {},
    metadata: {},
    occurredAt: new Date(0),
    recordedAt: new Date(1000 + first + i),
    endsAppend: ends,
  }));
}

describe('appendsOf: a batch cut into appends by what each event records', () => {
  it('ends an append at each event that ends one, whatever the streams and times say', () => {
    const batch = events(1, [
      { stream: 'a', ends: false },
      { stream: 'a', ends: true },
      { stream: 'b', ends: true },
      { stream: 'a', ends: true },
    ]);
    const { appends, unfinished } = appendsOf(batch, null);
    expect(appends.map((x) => [x.negotiationId, x.firstPosition, x.last.globalPosition])).toEqual([
      ['a', 1, 2],
      ['b', 3, 3],
      ['a', 4, 4],
    ]);
    expect(unfinished).toBeNull();
  });

  it('carries an append the batch does not finish, and finishes it with the next batch from its first position', () => {
    const first = appendsOf(events(1, [{ stream: 'a', ends: true }, { stream: 'b', ends: false }, { stream: 'b', ends: false }]), null);
    expect(first.appends.map((x) => x.last.globalPosition)).toEqual([1]);
    expect(first.unfinished).toBe(2);
    const middle = appendsOf(events(4, [{ stream: 'b', ends: false }]), first.unfinished);
    expect(middle).toEqual({ appends: [], unfinished: 2 });
    const last = appendsOf(events(5, [{ stream: 'b', ends: true }, { stream: 'c', ends: true }]), middle.unfinished);
    expect(last.appends.map((x) => [x.negotiationId, x.firstPosition, x.last.globalPosition])).toEqual([
      ['b', 2, 5],
      ['c', 6, 6],
    ]);
    expect(last.unfinished).toBeNull();
  });

  it('judges an append at its last event, with that event\'s recorded time', () => {
    const [append] = appendsOf(events(7, [{ stream: 'a', ends: false }, { stream: 'a', ends: true }]), null).appends;
    expect(append).toEqual({ negotiationId: 'a', recordedAt: new Date(1008), firstPosition: 7, last: { id: 'e8', globalPosition: 8, type: 'PositionStated' } });
  });
});
