import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CONFIG, type Config } from '../config/config';
import { AdminController } from './admin.controller';
import { AnalysisController } from './analysis.controller';
import { AsOfController } from './as-of.controller';
import { FeedTokens } from '../live/feed-tokens';
import { ThrottlerModule } from '@nestjs/throttler';
import { RATE_LIMITS, RateLimitGuard } from './rate-limit.guard';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeys } from './auth/api-keys';
import { ErrorFilter } from './error.filter';
import { EventsController } from './events.controller';
import { NegotiationsController } from './negotiations.controller';
import { readConsistencyMiddleware } from './read-consistency.middleware';

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: Config) => ({
        throttlers: [
          { name: RATE_LIMITS.readers, ttl: 60_000, limit: config.PARLEY_RATE_LIMIT },
          { name: RATE_LIMITS.writers, ttl: 60_000, limit: config.PARLEY_RATE_LIMIT_WRITERS },
        ],
        skipIf: () => config.PARLEY_RATE_LIMIT === 0 && config.PARLEY_RATE_LIMIT_WRITERS === 0,
      }),
    }),
  ],
  controllers: [NegotiationsController, AsOfController, AnalysisController, EventsController, AdminController],
  providers: [
    { provide: ApiKeys, inject: [CONFIG], useFactory: (config: Config) => new ApiKeys(config.PARLEY_API_KEYS) },
    { provide: FeedTokens, inject: [CONFIG], useFactory: (config: Config) => new FeedTokens(config.PARLEY_API_KEYS) },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_FILTER, useClass: ErrorFilter },
  ],
  exports: [FeedTokens],
})
export class HttpModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(readConsistencyMiddleware)
      .forRoutes({ path: 'negotiations/*path', method: RequestMethod.GET }, { path: 'events', method: RequestMethod.GET });
  }
}
