import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { AppModule, batchConsumers } from '../../src/app.module';
import { loadConfig } from '../../src/config/config';
import { AlertDelivery } from '../../src/alerting/alert-delivery.service';
import { FeedHub } from '../../src/feed/feed.hub';
import { NewsPolling } from '../../src/news/news-polling.service';
import { NegotiationWriter } from '../../src/negotiation/writing/negotiation-writer';
import { BATCH_CONSUMERS } from '../../src/projection-runner/batch-consumer';
import { ProjectionsService } from '../../src/projection-runner/projections.service';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** app.module is what Parley is: each composition holds what it says, and nothing more. */
describe('the compositions', () => {
  let database: TestDatabase;
  const open = async (module: ReturnType<typeof AppModule.forCli>) => NestFactory.createApplicationContext(module, { logger: false });
  const has = (app: INestApplicationContext, token: unknown) => {
    try {
      app.get(token as never, { strict: false });
      return true;
    } catch {
      return false;
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('gives a CLI command the writer, the projector and its consumers, and no feed, delivery or polling', async () => {
    const app = await open(AppModule.forCli(loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' })));
    try {
      expect(has(app, NegotiationWriter)).toBe(true);
      expect(has(app, ProjectionsService)).toBe(true);
      expect(app.get(BATCH_CONSUMERS, { strict: false }).map((c: object) => c.constructor)).toEqual([...batchConsumers]);
      expect([FeedHub, AlertDelivery, NewsPolling].map((token) => has(app, token))).toEqual([false, false, false]);
    } finally {
      await app.close();
    }
  });

  it('gives a server all of it', async () => {
    const app = await open(AppModule.forServer(loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', PORT: '0' })));
    try {
      expect([FeedHub, AlertDelivery, NewsPolling, NegotiationWriter].map((token) => has(app, token))).toEqual([true, true, true, true]);
    } finally {
      await app.close();
    }
  });
});
