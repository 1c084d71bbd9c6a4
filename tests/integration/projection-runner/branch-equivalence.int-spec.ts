import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { projections } from '../../../src/app.module';
import { EventRegistry } from '../../../src/event-store/event-registry';
import { EventStore } from '../../../src/event-store/event-store';
import { negotiationEventDefinitions } from '../../../src/negotiation/domain/events';
import { scenarioEventDefinitions } from '../../../src/negotiation/domain/scenarios';
import { toNegotiationEvent } from '../../../src/negotiation/domain/stored-event';
import { scenarioStream } from '../../../src/negotiation/domain/streams';
import type { AsOf, Branch, Stance } from '../../../src/negotiation/stances/stance';
import { redLinesAt, stancesAt } from '../../../src/negotiation/stances/stance.repository';
import { Projector } from '../../../src/projection-runner/projector';
import { rebuildProjections } from '../../../src/projection-runner/rebuild';
import { branchLog, redLinesAsOf, stancesAsOf } from '../../support/as-of-reference';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { numRuns } from '../../support/property';
import { DAYS, history, step } from '../../support/random-history';

const without = (stances: Stance[]) => stances.map(({ hypothetical, ...s }) => s);

describe('scenario branch reads (property)', () => {
  let database: TestDatabase;
  let store: EventStore;
  let registry: EventRegistry;

  beforeAll(async () => {
    database = await createTestDatabase();
    registry = new EventRegistry([...negotiationEventDefinitions, ...scenarioEventDefinitions]);
    store = new EventStore(database.connection.db, registry);
  });
  afterAll(() => database.drop());

  it('reads a branch as the reference fold of the record up to its base (and fork date) plus its own events, and the record as if it had none', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 20 }),
        fc.array(step, { minLength: 1, maxLength: 10 }),
        fc.nat(),
        fc.option(fc.nat(DAYS.length - 1), { nil: undefined }),
        fc.array(fc.tuple(fc.nat(DAYS.length + 1), fc.boolean()), { minLength: 2, maxLength: 5 }),
        async (recordSteps, branchSteps, baseAt, forkDay, questions) => {
          const nid = `branch-${randomUUID().slice(0, 8)}`;
          const projector = new Projector(database.connection, new EventStore(database.connection.db, registry), projections, { batchSize: 7, aheadMaxPerStream: 1000 });
          while ((await projector.runBatch()) > 0);
          const batches = history(recordSteps);
          // The base falls after one of the record's batches; the rest of the record comes later.
          const baseBatch = baseAt % batches.length;
          for (const batch of batches.slice(0, baseBatch + 1)) await store.appendToStream(nid, batch);
          const base = (await store.readStream(nid)).at(-1)!.globalPosition;
          const until = forkDay === undefined ? null : new Date(Date.parse(DAYS[forkDay]!) + 43_200_000);
          const key = scenarioStream(nid, 'b');
          await store.appendToStream(key, [{ type: 'ScenarioOpened', data: { name: 'b', base, until: until?.toISOString() ?? null, from: null, by: null }, occurredAt: new Date() }]);
          // The branch's events and the record's later ones, interleaved in the log.
          const later = batches.slice(baseBatch + 1);
          const hypothetical = history(branchSteps, false);
          for (const [index, batch] of hypothetical.entries()) {
            await store.appendToStream(key, batch);
            if (later[index]) await store.appendToStream(nid, later[index]!);
          }
          for (const batch of later.slice(hypothetical.length)) await store.appendToStream(nid, batch);
          while ((await projector.runBatch()) > 0);

          const record = (await store.readStream(nid)).map(toNegotiationEvent);
          const own = (await store.readStream(key)).filter((e) => !e.type.startsWith('Scenario')).map(toNegotiationEvent);
          const { events, visible } = branchLog(record, own, base, until);
          const branch: Branch = { name: 'b', key, base, until };
          const now = new Date(Date.now() + 1000);
          const asOfs: AsOf[] = questions.map(([day, early]) => ({
            at: new Date(Date.parse('2025-03-31T12:00:00Z') + day * 86_400_000),
            // Some questions are asked as known just after the base: before the branch's events.
            knownAt: early ? record.find((e) => e.globalPosition === base)!.recordedAt : now,
          }));
          const { db } = database.connection;
          const read = () =>
            Promise.all(
              asOfs.map(async (asOf) => ({
                branch: without(await stancesAt(db, nid, { ...asOf, branch })),
                branchLines: await redLinesAt(db, nid, { ...asOf, branch }),
                record: await stancesAt(db, nid, asOf),
              })),
            );
          const expected = asOfs.map((asOf) => ({
            branch: stancesAsOf(events, asOf, visible),
            branchLines: redLinesAsOf(events, asOf, visible),
            record: stancesAsOf(record, asOf),
          }));
          expect(await read()).toEqual(expected);
          await rebuildProjections(database.connection, new EventStore(database.connection.db, registry), projections, { batchSize: 50 });
          expect(await read()).toEqual(expected);
        },
      ),
      { numRuns: numRuns(25) },
    );
  }, 600_000);
});
