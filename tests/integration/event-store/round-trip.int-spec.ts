import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { IdConflict } from '../../../src/event-store/errors';
import { EventStore } from '../../../src/event-store/event-store';
import type { EventToAppend } from '../../../src/event-store/types';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { numRuns } from '../../support/property';
import { testRegistry } from '../../support/test-events';

const eventArbitrary = fc.record({
  type: fc.constant('Noted'),
  data: fc.record({ n: fc.double({ noNaN: true, noDefaultInfinity: true }), text: fc.option(fc.string({ unit: 'binary' }).filter((s) => !s.includes('\u0000')), { nil: undefined }) }),
  occurredAt: fc.date({ min: new Date('1990-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
  metadata: fc.option(fc.record({ source: fc.record({ title: fc.string() }) }), { nil: undefined }),
});

describe('EventStore round trips (property)', () => {
  let database: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new EventStore(database.connection.db, testRegistry());
  });
  afterAll(() => database.drop());

  it('reads back what was appended, and appending it again changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(eventArbitrary, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }), async (batches) => {
        const streamId = `prop-${randomUUID()}`;
        const appended: EventToAppend[] = [];
        for (const batch of batches) {
          const withIds = batch.map((e) => ({ ...e, id: randomUUID() }));
          await store.appendToStream(streamId, withIds, { expectedVersion: appended.length || 'no_stream' });
          appended.push(...withIds);
        }
        const read = await store.readStream(streamId);
        expect(read.map((e) => e.id)).toEqual(appended.map((e) => e.id));
        read.forEach((event, i) => {
          const original = appended[i]!;
          // -0 becomes 0 in JSON, as it would for any client.
          expect(event.data).toEqual(JSON.parse(JSON.stringify(original.data)));
          expect(event.occurredAt.getTime()).toBe(original.occurredAt.getTime());
          expect(event.metadata).toEqual(JSON.parse(JSON.stringify(original.metadata ?? {})));
        });

        const again = await store.appendToStream(streamId, appended, { expectedVersion: 0 });
        expect(again).toMatchObject({ appended: 0, skipped: appended.length });
        expect(again.events.map((e) => e.globalPosition)).toEqual(read.map((e) => e.globalPosition));

        const victim = appended[0]!;
        await expect(
          store.appendToStream(streamId, [{ ...victim, data: { n: 1e308, text: 'changed' } }]),
        ).rejects.toBeInstanceOf(IdConflict);
        expect(await store.streamVersion(streamId)).toBe(appended.length);
      }),
      { numRuns: numRuns(30) },
    );
  });
});
