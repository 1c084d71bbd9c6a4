import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { VersionConflict } from '../../../src/event-store/errors';
import { EventStore } from '../../../src/event-store/event-store';
import type { GroupCommitOptions } from '../../../src/event-store/group-commit';
import type { AppendResult, StoredEvent } from '../../../src/event-store/types';
import type { DatabaseConnection } from '../../../src/database/connection';
import { numRuns } from '../../support/property';
import { noted, testRegistry } from '../../support/test-events';
import { appendAlone, type GroupOp } from './sequential-model';

const WRITERS = 16;
const EVENTS_PER_WRITER = 200;
const BATCH = 10;

/**
 * The ordering guarantee under load. Writers go through several stores (each a group-commit
 * appender of its own, as several processes would be), so their calls race for the head lock.
 */
export function concurrencyBehaviour(open: () => Promise<{ connection: DatabaseConnection; drop(): Promise<void> }>) {
  describe('one group in flight at a time (small queues)', () => behaviour(open, {}));
  // secondAt 1: a second group goes out beside the first whenever anything waits, and an idle
  // appender splits what waits in two, so every test below runs with two groups racing.
  describe('two groups in flight', () => behaviour(open, { secondAt: 1 }));
}

function behaviour(open: () => Promise<{ connection: DatabaseConnection; drop(): Promise<void> }>, groupOptions: GroupCommitOptions) {
  const twoInFlight = groupOptions.secondAt !== undefined;
  let database: { connection: DatabaseConnection; drop(): Promise<void> };
  let store: EventStore;
  let stores: EventStore[];

  beforeAll(async () => {
    database = await open();
    const registry = testRegistry();
    stores = Array.from({ length: 4 }, () => new EventStore(database.connection.db, registry, groupOptions));
    store = stores[0]!;
  });
  afterAll(() => database.drop());

  it('serialises writers on one stream: no loss, no duplicate, contiguous versions, conflicts as conflicts', async () => {
    const streamId = 'contended';
    let conflicts = 0;
    const writer = async (w: number) => {
      for (let b = 0; b < EVENTS_PER_WRITER / BATCH; b++) {
        const batch = Array.from({ length: BATCH }, (_, i) =>
          noted(w * 10_000 + b * BATCH + i),
        );
        for (;;) {
          const version = await store.streamVersion(streamId);
          try {
            await stores[w % stores.length]!.appendToStream(streamId, batch, { expectedVersion: version });
            break;
          } catch (error) {
            if (!(error instanceof VersionConflict)) throw error;
            conflicts += 1;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));

    const events = await store.readStream(streamId);
    expect(events).toHaveLength(WRITERS * EVENTS_PER_WRITER);
    expect(events.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i + 1));
    const values = events.map((e) => (e.data as { n: number }).n);
    expect(new Set(values).size).toBe(values.length);
    // Each writer's own events stay in the order it appended them.
    for (let w = 0; w < WRITERS; w++) {
      const own = values.filter((n) => Math.floor(n / 10_000) === w);
      expect(own).toEqual([...own].sort((a, b) => a - b));
    }
    // 16 writers racing for one stream must have collided; each collision surfaced as a conflict.
    expect(conflicts).toBeGreaterThan(0);
  });

  it('keeps a tailing reader in the final global order while 16 streams are written at once', async () => {
    const tailed: StoredEvent[] = [];
    const start = await store.headPosition();
    let writing = true;
    const reader = (async () => {
      let after = start;
      for (;;) {
        const page = await store.readAll({ after, limit: 97 });
        if (page.length === 0) {
          if (!writing) break;
          await new Promise((r) => setImmediate(r));
          continue;
        }
        tailed.push(...page);
        after = page[page.length - 1]!.globalPosition;
      }
    })();
    const writer = async (w: number) => {
      const streamId = `parallel-${w}`;
      for (let i = 0; i < EVENTS_PER_WRITER; i++) {
        await stores[w % stores.length]!.appendToStream(streamId, [noted(i)], { expectedVersion: i === 0 ? 'no_stream' : i });
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    writing = false;
    await reader;

    const final = await store.readAll({ after: start, limit: 10_000 });
    expect(final).toHaveLength(WRITERS * EVENTS_PER_WRITER);
    expect(tailed.map((e) => e.id)).toEqual(final.map((e) => e.id));
    expect(final.map((e) => e.globalPosition)).toEqual(final.map((_, i) => start + i + 1));
    for (let w = 0; w < WRITERS; w++) {
      const versions = final.filter((e) => e.streamId === `parallel-${w}`).map((e) => e.streamVersion);
      expect(versions).toEqual(versions.map((_, i) => i + 1));
    }
  });

  // Group commit folds whatever is queued into one call of parley_append. Whatever the mix
  // (one stream or several, expected versions right and wrong, retries, partial retries, an
  // id reused with other content), each caller must get exactly the answer it would get if
  // the appends had run one by one in the order they were queued.
  it('answers every caller of a group as if the appends had run alone, in queue order', async () => {
    const op = fc.record({
      stream: fc.integer({ min: 0, max: 2 }),
      expected: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
      events: fc.array(fc.record({ reuse: fc.option(fc.nat(), { nil: undefined }), n: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 2, maxLength: 12 }), async (drawn) => {
        const prefix = randomUUID();
        const ids: string[] = [];
        const idStream = new Map<string, number>();
        const ops: GroupOp[] = drawn.map((d) => {
          const used = new Set<string>();
          const events = d.events.map((e) => {
            // With two groups racing, an id reused on another stream would make their order
            // observable (which one stored it first); reuse stays within the stream there.
            const pool = twoInFlight ? ids.filter((i) => idStream.get(i) === d.stream) : ids;
            const reused = e.reuse !== undefined && pool.length > 0 ? pool[e.reuse % pool.length]! : undefined;
            const id = reused && !used.has(reused) ? reused : randomUUID();
            used.add(id);
            return { ...noted(e.n), id };
          });
          ids.push(...events.map((e) => e.id));
          for (const e of events) if (!idStream.has(e.id)) idStream.set(e.id, d.stream);
          return { stream: `${prefix}-${d.stream}`, events, expected: d.expected };
        });
        const start = await store.headPosition();
        const expected = appendAlone(ops, start);
        // All submitted before any answer: the first goes alone, the rest queue into groups.
        const answers = await Promise.allSettled(
          ops.map((o) => store.appendToStream(o.stream, o.events, { expectedVersion: o.expected ?? 'any' })),
        );
        const log = await store.readAll({ after: start, limit: 1000 });
        // Two groups take the lock in either order: positions then follow the log, and all
        // else (versions, what was stored, every error) follows the appends run alone.
        const position = new Map(log.map((e) => [e.id, e.globalPosition]));
        const placed = (result: AppendResult): AppendResult =>
          twoInFlight ? { ...result, events: result.events.map((e) => ({ ...e, globalPosition: position.get(e.id)! })) } : result;
        answers.forEach((answer, i) => {
          const want = expected.answers[i]!;
          if (want instanceof Error) {
            expect(answer.status).toBe('rejected');
            expect((answer as PromiseRejectedResult).reason).toBeInstanceOf(want.constructor);
          } else {
            expect(answer).toEqual({ status: 'fulfilled', value: placed(want) });
          }
        });
        expect(log.map((e) => e.globalPosition)).toEqual(log.map((_, i) => start + i + 1));
        const perStream = (rows: [string, string, number, number][]) => rows.map(([id, stream, version]) => [id, stream, version]).sort();
        expect(perStream(log.map((e) => [e.id, e.streamId, e.streamVersion, e.globalPosition]))).toEqual(perStream(expected.log));
        if (!twoInFlight) expect(log.map((e) => [e.id, e.streamId, e.streamVersion, e.globalPosition])).toEqual(expected.log);
      }),
      { numRuns: numRuns(60) },
    );
  });
}
