import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { AppModule } from '../../../src/app.module';
import { loadConfig } from '../../../src/config/config';
import { DATABASE } from '../../../src/database/database.module';
import type { DatabaseConnection } from '../../../src/database/connection';
import { EventStore } from '../../../src/event-store/event-store';
import { FeedPoller } from '../../../src/news/feed-poller';
import { ListSources, ListSourcesHandler } from '../../../src/news/news.queries';
import { ProjectionsService } from '../../../src/projection-runner/projections.service';
import { ReadGate, type GateRequest } from '../../../src/projection-runner/read-gate';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { rss, startFeedServer } from '../../support/feed-server';

/**
 * A source's poll status is written beside the log (news_source_status), its items go through
 * the log and a projection. A sources read must not report a poll whose items it does not count:
 * CI once saw `lastFetchedAt` set with `items: 0` (the read's gate looked at the log before the
 * poll appended, and its query ran after the poll wrote its status).
 */
describe('reading sources while a poll lands', () => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  let feeds: Awaited<ReturnType<typeof startFeedServer>>;
  let connection: DatabaseConnection;

  beforeAll(async () => {
    database = await createTestDatabase();
    feeds = await startFeedServer();
    app = await NestFactory.createApplicationContext(AppModule.forCli(loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', PARLEY_LOAD_EXAMPLE: 'never' })), { logger: false });
    await app.init();
    connection = app.get<DatabaseConnection>(DATABASE, { strict: false });
  });

  afterAll(async () => {
    await app.close();
    await feeds.close();
    await database.drop();
  });

  it('never reports a poll without its items, when the poll lands between the gate and the query', async () => {
    const store = app.get(EventStore, { strict: false });
    const gate = app.get(ReadGate, { strict: false });
    const projections = app.get(ProjectionsService, { strict: false });
    feeds.routes.set('/wire', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([1, 2, 3].map((n) => ({ guid: `g${n}`, title: `Item ${n}` })))));
    await store.appendToStream('sources:wire', [{ type: 'SourceRegistered', occurredAt: new Date(), data: { source: 'wire', url: `${feeds.url}/wire`, pollInterval: 'PT1H', negotiations: [] } }]);
    await connection.db.insertInto('news_source_status').values({ source_id: 'wire', next_poll_at: new Date() }).execute();
    const handler = new ListSourcesHandler(gate, connection);
    const [before] = (await handler.execute(new ListSources('wire'))).sources;
    expect(before).toMatchObject({ id: 'wire', lastFetchedAt: null, items: 0 });

    // The projector rests, so nothing the poll appends is projected until it resumes.
    await projections.projector.stop();
    const poller = new FeedPoller(connection, store, { allow: ['127.0.0.1'], timeoutMs: 5000, maxBytes: 1 << 20, tickMs: 1000, maxItemsPerPoll: 100, maxItemsPerHour: 100, minIntervalMs: 1000 });
    // The poll lands after the read's gate opened and before its query runs.
    const racing = Object.create(gate) as ReadGate;
    racing.open = async (request: GateRequest) => {
      const opened = await gate.open(request);
      expect(await poller.pollDue()).toBe(1);
      return opened;
    };
    const [during] = (await new ListSourcesHandler(racing, connection).execute(new ListSources('wire'))).sources;
    // What the answer says of the poll and what it counts agree: before the poll, both.
    expect(during).toMatchObject({ lastFetchedAt: null, lastError: null, items: 0 });

    await projections.projector.start();
    const [after] = (await handler.execute(new ListSources('wire'))).sources;
    expect(after!.lastFetchedAt).toBeInstanceOf(Date);
    expect(after).toMatchObject({ lastError: null, items: 3 });
  });
});
