import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { DatabaseConnection } from '../../../src/database/connection';
import {
  IdConflict,
  InvalidEventData,
  UnknownEventType,
  VersionConflict,
} from '../../../src/event-store/errors';
import { EVENTS_CHANNEL, EventStore } from '../../../src/event-store/event-store';
import { NotifiedLoop } from '../../../src/event-store/notified-loop';
import type { StoredEvent } from '../../../src/event-store/types';
import { noted, testRegistry } from '../../support/test-events';

/**
 * The event store's specification, run against each database Parley supports
 * (PostgreSQL and the embedded PGlite), so both behave alike.
 */
export function eventStoreBehaviour(open: () => Promise<{ connection: DatabaseConnection; drop(): Promise<void> }>) {
  let connection: DatabaseConnection;
  let drop: () => Promise<void>;
  let store: EventStore;

  beforeAll(async () => {
    ({ connection, drop } = await open());
    store = new EventStore(connection.db, testRegistry());
  });
  afterAll(() => drop());

  const stream = () => `s-${randomUUID()}`;

  describe('appendToStream', () => {
    it('stores a batch with contiguous stream versions and global positions', async () => {
      const id = stream();
      const result = await store.appendToStream(id, [noted(1), noted(2), noted(3)], {
        expectedVersion: 'no_stream',
      });
      expect(result.streamVersion).toBe(3);
      expect(result.events.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
      const [p1, p2, p3] = result.events.map((e) => e.globalPosition);
      expect([p2! - p1!, p3! - p2!]).toEqual([1, 1]);

      const read = await store.readStream(id);
      expect(read.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3]);
      expect(read[0]).toMatchObject({
        streamId: id,
        type: 'Noted',
        schemaVersion: 1,
        occurredAt: new Date(Date.UTC(2025, 3, 17, 10, 0, 1)),
      });
    });

    it('records recordedAt from the database clock at millisecond precision', async () => {
      const id = stream();
      const before = Date.now();
      await store.appendToStream(id, [noted(1)]);
      const [event] = await store.readStream(id);
      expect(event!.recordedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      // The value read back, used as a bound, includes its own event.
      const { rows } = await sql<{ count: string }>`
        select count(*) as count from events
        where stream_id = ${id} and recorded_at <= ${event!.recordedAt}`.execute(connection.db);
      expect(Number(rows[0]!.count)).toBe(1);
    });

    it('gives a batch one recordedAt, never earlier than the previous one nor ahead of the clock', async () => {
      const id = stream();
      for (let i = 0; i < 20; i++) await store.appendToStream(id, [noted(i), noted(i + 100)]);
      const after = Date.now();
      const times = (await store.readStream(id)).map((e) => e.recordedAt.getTime());
      for (let i = 0; i < times.length; i += 2) {
        expect(times[i + 1]).toBe(times[i]); // one batch, one recordedAt
        if (i > 0) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
      }
      expect(times[times.length - 1]!).toBeLessThanOrEqual(after);
    });

    it('rejects a stale expected version and writes nothing', async () => {
      const id = stream();
      await store.appendToStream(id, [noted(1), noted(2)]);
      const head = await store.headPosition();
      await expect(
        store.appendToStream(id, [noted(3)], { expectedVersion: 1 }),
      ).rejects.toMatchObject({ code: 'EVENT_STORE.VERSION_CONFLICT', expected: 1, actual: 2 });
      await expect(
        store.appendToStream(id, [noted(3)], { expectedVersion: 'no_stream' }),
      ).rejects.toBeInstanceOf(VersionConflict);
      expect(await store.readStream(id)).toHaveLength(2);
      expect(await store.headPosition()).toBe(head);
    });

    it('accepts the current version, and "any" whatever the version', async () => {
      const id = stream();
      await store.appendToStream(id, [noted(1)], { expectedVersion: 0 });
      await store.appendToStream(id, [noted(2)], { expectedVersion: 1 });
      const result = await store.appendToStream(id, [noted(3)], { expectedVersion: 'any' });
      expect(result.streamVersion).toBe(3);
    });

    it('skips an event appended again and answers with its original positions', async () => {
      const id = stream();
      const event = { ...noted(1), id: randomUUID() };
      const first = await store.appendToStream(id, [event]);
      await store.appendToStream(id, [noted(2)]);
      // A stale expected version does not turn a retry into a conflict.
      const again = await store.appendToStream(id, [event], { expectedVersion: 0 });
      expect(again).toMatchObject({ appended: 0, skipped: 1, streamVersion: 2 });
      expect(again.events).toEqual(first.events);
      expect(await store.readStream(id)).toHaveLength(2);
    });

    it('appends only the new events of a partly stored batch', async () => {
      const id = stream();
      const known = { ...noted(1), id: randomUUID() };
      await store.appendToStream(id, [known]);
      const fresh = { ...noted(2), id: randomUUID() };
      const result = await store.appendToStream(id, [known, fresh], { expectedVersion: 1 });
      expect(result).toMatchObject({ appended: 1, skipped: 1, streamVersion: 2 });
      expect(result.events.map((e) => e.streamVersion)).toEqual([1, 2]);
    });

    it('refuses the same id with other content and writes nothing', async () => {
      const id = stream();
      const eventId = randomUUID();
      await store.appendToStream(id, [{ ...noted(1), id: eventId }]);
      const head = await store.headPosition();
      await expect(
        store.appendToStream(id, [noted(5), { ...noted(2), id: eventId }]),
      ).rejects.toBeInstanceOf(IdConflict);
      await expect(
        store.appendToStream(stream(), [{ ...noted(1), id: eventId }]),
      ).rejects.toBeInstanceOf(IdConflict);
      expect(await store.headPosition()).toBe(head);
    });

    it('refuses an unknown event type and invalid data before writing anything', async () => {
      const id = stream();
      await expect(
        store.appendToStream(id, [noted(1), { type: 'Nope', data: {}, occurredAt: new Date() }]),
      ).rejects.toBeInstanceOf(UnknownEventType);
      await expect(
        store.appendToStream(id, [noted(1), { type: 'Noted', data: { n: 'x' }, occurredAt: new Date() }]),
      ).rejects.toMatchObject({ code: 'EVENT_STORE.INVALID_EVENT_DATA', index: 1 });
      await expect(
        store.appendToStream(id, [{ ...noted(1), id: 'not-a-uuid' }]),
      ).rejects.toBeInstanceOf(InvalidEventData);
      expect(await store.readStream(id)).toHaveLength(0);
    });

    it('refuses a NUL character, which jsonb cannot store, naming where it is', async () => {
      const id = stream();
      await expect(
        store.appendToStream(id, [{ type: 'Noted', data: { n: 1, text: 'a\u0000b' }, occurredAt: new Date() }]),
      ).rejects.toMatchObject({ issues: [{ path: ['data', 'text'] }] });
      expect(await store.readStream(id)).toHaveLength(0);
    });

    it('keeps the log append-only even for direct SQL', async () => {
      const id = stream();
      await store.appendToStream(id, [noted(1)]);
      await expect(
        sql`update events set type = 'X' where stream_id = ${id}`.execute(connection.db),
      ).rejects.toThrow(/append-only/);
      await expect(
        sql`delete from events where stream_id = ${id}`.execute(connection.db),
      ).rejects.toThrow(/append-only/);
    });
  });

  describe('reading', () => {
    it('upcasts data stored under an older schema version', async () => {
      const id = stream();
      await store.appendToStream(id, [{ type: 'Renamed', data: { fullName: 'Kyiv' }, occurredAt: new Date() }]);
      // Data written by an older release, before the schema changed.
      const head = await store.headPosition();
      await sql`
        insert into events (global_position, id, stream_id, stream_version, type, schema_version,
                            data, metadata, occurred_at, recorded_at)
        values (${head + 1}, ${randomUUID()}, ${id}, 2, 'Renamed', 1, ${JSON.stringify({ name: 'Kiev' })},
                '{}', now(), now())`.execute(connection.db);
      await sql`update event_store_head set position = ${head + 1}`.execute(connection.db);
      const events = await store.readStream(id);
      expect(events.map((e) => e.data)).toEqual([{ fullName: 'Kyiv' }, { fullName: 'Kiev' }]);
    });

    it('pages through the whole log in global order with after and limit', async () => {
      const id = stream();
      await store.appendToStream(id, Array.from({ length: 7 }, (_, i) => noted(i)));
      const all: StoredEvent[] = [];
      let after = 0;
      for (;;) {
        const page = await store.readAll({ after, limit: 3 });
        if (page.length === 0) break;
        all.push(...page);
        after = page[page.length - 1]!.globalPosition;
      }
      const positions = all.map((e) => e.globalPosition);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(positions).size).toBe(positions.length);
      expect(positions[positions.length - 1]).toBe(await store.headPosition());
      expect(all.filter((e) => e.streamId === id)).toHaveLength(7);
    });
  });

  describe('NotifiedLoop (the catch-up-then-live loop of the projector, feed tail and outbox)', () => {
    it('catches up, then is woken by each append with no gap and no duplicate', async () => {
      const id = stream();
      await store.appendToStream(id, [noted(1), noted(2)]);
      let cursor = (await store.headPosition()) - 2;
      const seen: StoredEvent[] = [];
      let resolveDone: () => void;
      const done = new Promise<void>((r) => (resolveDone = r));
      const loop = new NotifiedLoop(connection, EVENTS_CHANNEL, {
        step: async () => {
          const page = await store.readAll({ after: cursor, limit: 2 });
          if (page.length === 0) return false;
          cursor = page[page.length - 1]!.globalPosition;
          seen.push(...page.filter((e) => e.streamId === id));
          if (seen.length >= 12) resolveDone();
          return true;
        },
        idleMs: () => 60_000, // only notifications may wake it: proves LISTEN works here
      });
      await loop.start();
      for (let i = 3; i <= 12; i += 2) await store.appendToStream(id, [noted(i), noted(i + 1)]);
      await done;
      await loop.stop();
      expect(seen.map((e) => e.streamVersion)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    });
  });
}
