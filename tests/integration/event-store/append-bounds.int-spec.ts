import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { down as beforeV3, up as v3 } from '../../../migrations/20261204_0900_append_v3';
import { EventRegistry } from '../../../src/event-store/event-registry';
import { EventStore } from '../../../src/event-store/event-store';
import type { EventToAppend } from '../../../src/event-store/types';
import { appendsOf } from '../../../src/alerting/evaluate-batch';
import { createTestDatabase, type TestDatabase } from '../../support/database';

const T = (n: number): EventToAppend => ({ id: randomUUID(), type: 'T', data: { n }, occurredAt: new Date('2025-04-01T00:00:00Z') });

/** Every append records where it ends; readers cut the log into appends from that alone. */
describe('appends that know their bounds', () => {
  let database: TestDatabase;
  let store: EventStore;
  const ends = async (stream: string) =>
    (await sql<{ ends_append: boolean }>`select ends_append from events where stream_id = ${stream} order by global_position`.execute(database.connection.db)).rows.map((r) => r.ends_append);

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new EventStore(database.connection.db, new EventRegistry([{ type: 'T', schema: z.unknown() }]));
  });
  afterAll(() => database.drop());

  it('marks the last new event of each append, also when some of its events were stored already', async () => {
    const [a, b, c] = [T(1), T(2), T(3)];
    await store.appendToStream('bounds', [a, b]);
    await store.appendToStream('bounds', [c]);
    // A retry with one new event: that one ends the append.
    const d = T(4);
    await store.appendToStream('bounds', [a, b, d]);
    expect(await ends('bounds')).toEqual([false, true, true, true]);
    const events = await store.readStream('bounds');
    const { appends, unfinished } = appendsOf(events, null);
    expect(appends.map((x) => [x.firstPosition, x.last.id])).toEqual([
      [events[0]!.globalPosition, b.id],
      [events[2]!.globalPosition, c.id],
      [events[3]!.globalPosition, d.id],
    ]);
    expect(unfinished).toBeNull();
    // Cut after the first event: the open append is carried by its first position.
    const head = appendsOf(events.slice(0, 1), null);
    expect(head).toEqual({ appends: [], unfinished: events[0]!.globalPosition });
    expect(appendsOf(events.slice(1, 2), head.unfinished).appends[0]).toMatchObject({ firstPosition: events[0]!.globalPosition, last: { id: b.id } });
  });

  it('infers the bounds of rows written before it once, from one stream recorded at one instant, as alert evaluation used to', async () => {
    const { db } = database.connection;
    await beforeV3(db);
    try {
      await store.appendToStream('old', [T(1), T(2), T(3)]);
      await store.appendToStream('old-other', [T(4)]);
      await store.appendToStream('old', [T(5), T(6)]);
    } finally {
      await v3(db);
    }
    expect(await ends('old')).toEqual([false, false, true, false, true]);
    expect(await ends('old-other')).toEqual([true]);
    // The append-only trigger is back.
    await expect(sql`update events set ends_append = true where stream_id = 'old'`.execute(db)).rejects.toThrow(/append-only/i);
  });
});
