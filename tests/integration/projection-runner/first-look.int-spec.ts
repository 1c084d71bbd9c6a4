import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import fc from 'fast-check';
import { sql, type KyselyPlugin } from 'kysely';
import { AppModule } from '../../../src/app.module';
import { loadConfig } from '../../../src/config/config';
import { EventStore } from '../../../src/event-store/event-store';
import { FirstLooks } from '../../../src/projection-runner/first-look';
import { createTestDatabase, type TestDatabase } from '../../support/database';

/** Counts the queries sent through a Kysely instance (the real database answers them). */
function counting(): { plugin: KyselyPlugin; count: () => number } {
  let sent = 0;
  return {
    plugin: {
      transformQuery: (args) => ((sent += 1), args.node),
      transformResult: async (args) => args.result,
    },
    count: () => sent,
  };
}

/**
 * The read gate's grouped first look, against real PostgreSQL: reads that arrive together share
 * one round trip, and every look still sees every write answered before it was asked.
 */
describe('grouped first looks', () => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  let store: EventStore;
  const at = (day: number) => new Date(Date.UTC(2025, 3, day));
  const opened = (title: string) => [
    { type: 'NegotiationOpened', occurredAt: at(1), data: { title } },
    { type: 'PartyAdded', occurredAt: at(1), data: { party: 'us', name: 'United States' } },
    { type: 'IssueDefined', occurredAt: at(1), data: { issue: 'crimea', title: 'Crimea', scale: { min: 0, max: 100 } } },
  ];
  const stated = (value: number) => ({ type: 'PositionStated', occurredAt: at(2), data: { party: 'us', issue: 'crimea', value } });

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await NestFactory.createApplicationContext(AppModule.forCli(loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', PARLEY_LOAD_EXAMPLE: 'never' })), { logger: false });
    await app.init();
    store = app.get(EventStore, { strict: false });
    await store.appendToStream('alpha', opened('Alpha'));
    await store.appendToStream('beta', [...opened('Beta'), stated(10), stated(20)]);
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('answers fifty reads that arrive together with one or two queries, each with its own stream', async () => {
    const { plugin, count } = counting();
    const looks = new FirstLooks(database.connection.db.withPlugin(plugin));
    const head = await store.headPosition();
    const asks = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? { stream: 'alpha', streams: ['alpha', 'alpha.rules'] } : { stream: 'beta', version: 4, streams: ['beta'] }));
    const answers = await Promise.all(asks.map((ask) => looks.look(ask)));
    expect(count()).toBeLessThanOrEqual(2);
    for (const [i, answer] of answers.entries()) {
      expect(answer.head).toBe(head);
      if (i % 2 === 0) expect(answer.found).toMatchObject({ version: 3, versionPosition: null, last: 3 });
      else expect(answer.found).toMatchObject({ version: 5, versionPosition: 7, last: head });
    }
    // One clock for the group: "now" is the same instant for every read answered together.
    expect(new Set(answers.map((a) => a.now.getTime())).size).toBeLessThanOrEqual(2);
  });

  it('answers a stream with no events, and the whole log, beside the others', async () => {
    const looks = new FirstLooks(database.connection.db);
    const head = await store.headPosition();
    const [none, all] = await Promise.all([looks.look({ stream: 'nowhere', streams: ['nowhere'] }), looks.look({ stream: null, streams: 'all' })]);
    expect(none.found).toMatchObject({ version: 0, lastRecordedAt: null, versionPosition: null, last: 0 });
    expect(all.found.last).toBe(head);
  });

  it('never misses a write answered before the look was asked, however reads and writes interleave', async () => {
    // Each answer comes back 4 ms late, as over a slow network: writes are answered, and reads
    // asked, while a look is in flight (a look that lent its answer to those would fail here).
    const slow: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => (await new Promise((resolve) => setTimeout(resolve, 4)), args.result),
    };
    const looks = new FirstLooks(database.connection.db.withPlugin(slow));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('append', 'look', 'pause'), { minLength: 5, maxLength: 40 }), async (steps) => {
        let answered = { position: 0, version: 0 };
        const checks: Promise<void>[] = [];
        const writes: Promise<void>[] = [];
        for (const step of steps) {
          if (step === 'append') {
            writes.push(
              store.appendToStream('beta', [stated(50)]).then(({ events }) => {
                const written = events[0]!;
                if (written.globalPosition > answered.position) answered = { position: written.globalPosition, version: written.streamVersion };
              }),
            );
          } else if (step === 'look') {
            // What had been answered when the look was asked: the look must see at least that.
            const before = answered;
            checks.push(
              looks.look({ stream: 'beta', streams: ['beta'] }).then(async (look) => {
                expect(look.head).toBeGreaterThanOrEqual(before.position);
                expect(look.found.version).toBeGreaterThanOrEqual(before.version);
                expect(look.found.last).toBeGreaterThanOrEqual(before.position);
                // "Now" for the read is at or after the answered write's recordedAt (as-of at now sees it).
                const { rows } = await sql<{ recorded_at: Date }>`select recorded_at from events where global_position = ${before.position}`.execute(database.connection.db);
                if (rows[0]) expect(look.now.getTime()).toBeGreaterThanOrEqual(rows[0].recorded_at.getTime());
              }),
            );
          } else {
            await new Promise((resolve) => setTimeout(resolve, 2));
          }
        }
        await Promise.all([...writes, ...checks]);
      }),
      { numRuns: 25 },
    );
  });
});
