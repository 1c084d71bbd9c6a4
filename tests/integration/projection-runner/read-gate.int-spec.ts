import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { AppModule } from '../../../src/app.module';
import { loadConfig } from '../../../src/config/config';
import { EventStore } from '../../../src/event-store/event-store';
import { ProjectionsService } from '../../../src/projection-runner/projections.service';
import { ReadGate, type ReadContext } from '../../../src/projection-runner/read-gate';
import { openAsOf, openNegotiation } from '../../../src/negotiation/reading/open-as-of';
import { stancesAt } from '../../../src/negotiation/stances/stance.repository';
import { createTestDatabase, type TestDatabase } from '../../support/database';

/** The one read gate, against real PostgreSQL: 404s at once, read your writes, versions, who answered. */
describe('the read gate', () => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  let gate: ReadGate;
  let store: EventStore;
  let projections: ProjectionsService;
  const at = (day: number) => new Date(Date.UTC(2025, 3, day));
  const stated = (value: number, day: number) => ({ type: 'PositionStated', occurredAt: at(day), data: { party: 'us', issue: 'crimea', value } });

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await NestFactory.createApplicationContext(AppModule.forCli(loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', PARLEY_LOAD_EXAMPLE: 'never' })), { logger: false });
    await app.init();
    gate = app.get(ReadGate, { strict: false });
    store = app.get(EventStore, { strict: false });
    projections = app.get(ProjectionsService, { strict: false });
    await store.appendToStream('gate', [
      { type: 'NegotiationOpened', occurredAt: at(1), data: { title: 'Gate' } },
      { type: 'PartyAdded', occurredAt: at(1), data: { party: 'us', name: 'United States' } },
      { type: 'IssueDefined', occurredAt: at(1), data: { issue: 'crimea', title: 'Crimea', scale: { min: 0, max: 100 } } },
      stated(40, 2),
    ]);
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('answers an unknown negotiation and an unknown version at once, even with the projector stopped', async () => {
    await projections.projector.stop();
    try {
      await store.appendToStream('gate', [stated(45, 3)]);
      await expect(openNegotiation(gate, 'nowhere')).rejects.toMatchObject({ code: 'NEGOTIATION.UNKNOWN' });
      // Had it waited for the projector (which holds the fifth event back), this would be a
      // PROJECTIONS.LAGGING after 10 s: the check comes before any wait.
      await expect(openAsOf(gate, 'gate', { version: 99 })).rejects.toMatchObject({ code: 'NEGOTIATION.UNKNOWN_VERSION', current: 5 });
    } finally {
      await projections.projector.start();
    }
  });

  it('holds a read until the projection has every event written before it, and says who answered', async () => {
    await projections.projector.stop();
    const [written] = await store.appendToStream('gate', [stated(60, 4)]).then((r) => r.events);
    const read: ReadContext = {};
    let opened = false;
    const pending = openAsOf(gate, 'gate', {}, read).then((o) => ((opened = true), o));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(opened).toBe(false);
    await projections.projector.start();
    const { db, asOf } = await pending;
    expect(read).toMatchObject({ servedBy: 'primary', position: written!.globalPosition });
    expect((await stancesAt(db, 'gate', asOf)).map((s) => s.value)).toEqual([60]);
  });

  it('bounds a cited version by its global position, and waits only up to minPosition when given one', async () => {
    const events = await store.readStream('gate');
    const { asOf } = await openAsOf(gate, 'gate', { version: 4 });
    expect(asOf.upTo).toBe(events[3]!.globalPosition);
    await projections.projector.stop();
    try {
      await store.appendToStream('gate', [stated(70, 5)]);
      const read: ReadContext = { minPosition: events[3]!.globalPosition };
      // The newer write is not projected, and the read does not wait for it: it asked for less.
      const { db, asOf: now } = await openAsOf(gate, 'gate', {}, read);
      expect(read.position).toBe(events[3]!.globalPosition);
      expect((await stancesAt(db, 'gate', now)).map((s) => s.value)).toEqual([60]);
    } finally {
      await projections.projector.start();
    }
  });

  it('opens news reads on the whole log, on the primary', async () => {
    const read: ReadContext = {};
    const opened = await gate.open({ streams: 'all', stream: 'gate', read, replicas: false });
    expect(opened.found.version).toBe(7);
    expect(read.servedBy).toBe('primary');
    expect(read.position).toBe(await store.headPosition());
  });
});
