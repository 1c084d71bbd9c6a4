import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { EventRegistry } from '../../../src/event-store/event-registry';
import { EventStore } from '../../../src/event-store/event-store';
import type { EventToAppend } from '../../../src/event-store/types';
import { negotiationEventDefinitions } from '../../../src/negotiation/domain/events';
import { toNegotiationEvent } from '../../../src/negotiation/domain/stored-event';
import type { AsOf } from '../../../src/negotiation/stances/stance';
import { redLinesAsOf, stancesAsOf } from '../../support/as-of-reference';
import { Projector } from '../../../src/projection-runner/projector';
import { rebuildProjections } from '../../../src/projection-runner/rebuild';
import { pendingFor, wantStreams } from '../../../src/projection-runner/ahead';
import { readCheckpoint } from '../../../src/projection-runner/checkpoints';
import { issuesKnown, redLinesAt, stancesAt, timelineOf } from '../../../src/negotiation/stances/stance.repository';
import { gapSeries, pairGap } from '../../../src/negotiation/analysis/gaps';
import { measure } from '../../../src/alerting/measure';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { numRuns } from '../../support/property';
import { projections } from '../../../src/app.module';
import { DAYS, history, step } from '../../support/random-history';

/** Another negotiation's bulk load: opened, a party and an issue, then `count` positions. */
function bulkLoad(count: number): EventToAppend[] {
  const at = new Date(DAYS[0]!);
  return [
    { type: 'NegotiationOpened', data: { title: 'bulk' }, occurredAt: at },
    { type: 'PartyAdded', data: { party: 'b', name: 'b' }, occurredAt: at },
    { type: 'IssueDefined', data: { issue: 'i', title: 'i' }, occurredAt: at },
    ...Array.from({ length: count }, (_, k) => ({ type: 'PositionStated', data: { party: 'b', issue: 'i', value: k % 101 }, occurredAt: at })),
  ];
}

describe('stance projection equivalence (property)', () => {
  let database: TestDatabase;
  let store: EventStore;
  let registry: EventRegistry;

  beforeAll(async () => {
    database = await createTestDatabase();
    registry = new EventRegistry(negotiationEventDefinitions);
    store = new EventStore(database.connection.db, registry);
  });
  afterAll(() => database.drop());

  it('gives the same stances, red lines, gap series and alert measurements incrementally, projected ahead of another negotiation\'s bulk load, after a rebuild, and by folding the log naively', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 25 }),
        fc.array(fc.tuple(fc.nat(DAYS.length + 9), fc.nat(40), fc.option(fc.nat(DAYS.length + 1), { nil: undefined }), fc.constantFrom('start' as const, 'end' as const)), { minLength: 3, maxLength: 6 }),
        fc.integer({ min: 1, max: 7 }),
        fc.option(fc.nat(5), { nil: undefined }),
        async (steps, questions, batchSize, bulkAfter) => {
          const nid = `prop-${randomUUID().slice(0, 8)}`;
          const recorded: Date[] = [];
          const batches = history(steps);
          const projector = new Projector(database.connection, new EventStore(database.connection.db, registry), projections, { batchSize, aheadMaxPerStream: 1000 });
          // Everything before this run is projected first: the checkpoint starts at the head.
          while ((await projector.runBatch()) > 0);
          for (const [index, batch] of batches.entries()) {
            // Sometimes a bulk load into another negotiation lands between two of this one's
            // appends, so this one's later events wait behind it and may be projected ahead.
            if (index === bulkAfter) await store.appendToStream(`bulk-${nid}`, bulkLoad(batchSize * 4));
            await store.appendToStream(nid, batch);
            const events = await store.readStream(nid);
            recorded.push(events[events.length - 1]!.recordedAt);
            // The next batch must be recorded later, so knownAt can tell them apart.
            while (Date.now() <= recorded[recorded.length - 1]!.getTime()) await new Promise((r) => setImmediate(r));
          }

          const log = (await store.readStream(nid)).map(toNegotiationEvent);
          // publicAt, when asked, falls between publication days or at the end of the log.
          // Half the questions count week-precise events from their week's end (periods=end);
          // questions run to nine days past the history, so those weeks end within them.
          const asOfs: AsOf[] = questions.map(([day, k, pub, periods]) => ({
            periods,
            // With publicAt, half the questions count corrections only once public.
            ...(pub !== undefined && k % 2 === 0 ? { corrections: 'public' as const } : {}),
            at: new Date(Date.parse('2025-03-31T12:00:00Z') + day * 86_400_000),
            knownAt: new Date(recorded[k % recorded.length]!.getTime() - (k % 3 === 0 ? 1 : 0)),
            ...(pub === undefined ? {} : { publicAt: pub > DAYS.length ? new Date(recorded[recorded.length - 1]!.getTime()) : new Date(Date.parse('2025-03-31T12:00:00Z') + pub * 86_400_000) }),
          }));
          const { db } = database.connection;
          // Every production reading of the as-of rule against the reference fold: stances and
          // red lines (the indexed SQL), a gap series (the timeline sweep) and an alert's
          // measurement, at the same questions.
          const points = DAYS.map((d) => new Date(Date.parse(d) + 43_200_000));
          // The known issues come from the projection: asked once this negotiation is projected.
          const naiveFold = () => Promise.all(
            asOfs.map(async (asOf) => {
              const issues = await issuesKnown(db, nid, asOf);
              return {
                stances: stancesAsOf(log, asOf),
                redLines: redLinesAsOf(log, asOf),
                series: points.map((at) => {
                  const { overall, overallRange } = pairGap('p1', 'p2', stancesAsOf(log, { ...asOf, at }), issues);
                  return { overall, overallRange };
                }),
                alert: { kind: 'gap', value: pairGap('p1', 'p3', stancesAsOf(log, asOf), issues).overall },
              };
            }),
          );
          const projected = async () =>
            Promise.all(
              asOfs.map(async (asOf) => {
                const issues = await issuesKnown(db, nid, asOf);
                const timeline = await timelineOf(db, nid, ['p1', 'p2'], asOf);
                return {
                  stances: await stancesAt(db, nid, asOf),
                  redLines: await redLinesAt(db, nid, asOf),
                  series: gapSeries('p1', 'p2', timeline, issues, points).map(({ overall, overallRange }) => ({ overall, overallRange })),
                  alert: await measure(db, nid, { kind: 'gap_threshold', a: 'p1', b: 'p3', threshold: 50, direction: 'both' }, asOf),
                };
              }),
            );
          if (bulkAfter !== undefined) {
            // A read waits for this negotiation: its events are projected ahead of the bulk load
            // in one batch, and every as-of answer is already the naive fold's.
            await wantStreams(db, [nid]);
            await projector.runBatch();
            expect(await pendingFor(db, await readCheckpoint(db), await store.headPosition(), [nid])).toBe(false);
            expect(await projected()).toEqual(await naiveFold());
          }
          // Incremental: small batches, so corrections often meet targets projected earlier.
          while ((await projector.runBatch()) > 0);
          const naive = await naiveFold();
          expect(await projected()).toEqual(naive);
          await rebuildProjections(database.connection, new EventStore(database.connection.db, registry), projections, { batchSize: 50 });
          expect(await projected()).toEqual(naive);
        },
      ),
      { numRuns: numRuns(40) },
    );
  });
});
