import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CONFIG, type Config } from '../config/config';
import { AdminController } from './admin.controller';
import { AnalysisController } from './analysis.controller';
import { AsOfController } from './as-of.controller';
import { DashboardController } from './dashboard.controller';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { NewsController } from './news.controller';
import { FeedModule } from '../feed/feed.module';
import { ReadingModule } from '../negotiation/reading/reading.module';
import { AlertsController } from './alerts.controller';
import { FeedController } from './feed.controller';
import { HealthController } from './health.controller';
import { Readiness } from './health/readiness';
import { ProbesController } from './probes.controller';
import { ReviewController } from './review.controller';
import { ScenariosController } from './scenarios.controller';
import { DatabaseHealthIndicator } from './health/database.health';
import { ProjectionsHealthIndicator } from './health/projections.health';
import { MetricsController } from './metrics.controller';
import { RATE_LIMITS, RateLimitGuard } from './rate-limit.guard';
import { RateWindows } from '../database/rate-windows';
import { SharedThrottlerStorage } from './auth/shared-throttler-storage';
import { DATABASE } from '../database/database.module';
import type { DatabaseConnection } from '../database/connection';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeys } from './auth/api-keys';
import { ErrorFilter } from './error.filter';
import { EventsController } from './events.controller';
import { NegotiationsController } from './negotiations.controller';
import { AsOfCache } from './as-of-cache';

@Module({
  imports: [
    FeedModule,
    ReadingModule,
    TerminusModule.forRoot({ logger: false }),
    ThrottlerModule.forRootAsync({
      inject: [CONFIG, DATABASE],
      useFactory: (config: Config, connection: DatabaseConnection) => ({
        // In the database: a limit is one limit across every instance, not one per process.
        storage: new SharedThrottlerStorage(new RateWindows(connection.db)),
        throttlers: [
          { name: RATE_LIMITS.readers, ttl: 60_000, limit: config.PARLEY_RATE_LIMIT },
          { name: RATE_LIMITS.writers, ttl: 60_000, limit: config.PARLEY_RATE_LIMIT_WRITERS },
        ],
        skipIf: () => config.PARLEY_RATE_LIMIT === 0 && config.PARLEY_RATE_LIMIT_WRITERS === 0,
      }),
    }),
  ],
  controllers: [
    NegotiationsController,
    AsOfController,
    DashboardController,
    AnalysisController,
    EventsController,
    AdminController,
    AlertsController,
    NewsController,
    FeedController,
    MetricsController,
    HealthController,
    ProbesController,
    ReviewController,
    ScenariosController,
  ],
  providers: [
    { provide: ApiKeys, inject: [CONFIG], useFactory: (config: Config) => new ApiKeys(config.PARLEY_API_KEYS) },
    AsOfCache,
    DatabaseHealthIndicator,
    Readiness,
    ProjectionsHealthIndicator,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_FILTER, useClass: ErrorFilter },
  ],
})
// Each request's id, counting and span are Fastify hooks (observe-requests.ts, added by server.ts).
export class HttpModule {}
