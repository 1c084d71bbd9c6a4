import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import type { Config } from './config/config';
import { ConfigModule } from './config/config.module';
import { traceFields } from './shared/tracing';
import { DatabaseModule } from './database/database.module';
import { EventStoreModule } from './event-store/event-store.module';
import { HttpModule } from './http/http.module';
import { requestIdOf } from './http/request-id';
import { ExamplesModule } from './examples/example-dataset';
import { alertEventDefinitions } from './alerting/alert-rules';
import { AlertDeliveryModule, AlertingModule } from './alerting/alerting.module';
import { AlertEvaluation } from './alerting/alert-evaluation.consumer';
import { negotiationEventDefinitions } from './negotiation/domain/events';
import { NegotiationModule } from './negotiation/negotiation.module';
import { ReadingModule } from './negotiation/reading/reading.module';
import { MetricsModule } from './metrics/metrics.module';
import { ProjectedEventsCounter } from './metrics/projected-events.counter';
import { ProjectionsModule } from './projection-runner/projections.module';
import { ruleVersionsProjection } from './alerting/rule-versions.projection';
import { openAlertsProjection } from './alerting/open-alerts.projection';
import { stanceProjection } from './negotiation/stances/stance.projection';
import { FeedModule } from './feed/feed.module';
import { newsEventDefinitions } from './news/news-events';
import { reviewEventDefinitions } from './review/review-events';
import { ReviewModule } from './review/review.module';
import { ScenariosModule } from './scenarios/scenarios.module';
import { scenarioEventDefinitions } from './negotiation/domain/scenarios';
import { NewsModule, NewsPollingModule } from './news/news.module';
import { NewsCitations } from './news/news-citations';
import { newsProjection } from './news/news.projection';

/** Every read model, from the context that owns it: the projection runner itself knows none. */
export const projections = [stanceProjection, ruleVersionsProjection, openAlertsProjection, newsProjection] as const;

/** What follows each projector batch, in order: alert evaluation (in its transaction), then metrics. */
export const batchConsumers = [AlertEvaluation, ProjectedEventsCounter] as const;

/** Every event type the log holds, by context. */
export const eventDefinitions = [...negotiationEventDefinitions, ...alertEventDefinitions, ...newsEventDefinitions, ...reviewEventDefinitions, ...scenarioEventDefinitions];

/**
 * What Parley is, as data. Every process has the log, the projections and their consumers,
 * and every context's commands and queries (a CLI command runs them in-process). A server adds
 * what serves other clients: HTTP, the live feed, webhook delivery and feed polling.
 */
@Module({})
export class AppModule {
  static forServer(config: Config): DynamicModule {
    return {
      module: AppModule,
      imports: [...core(config), HttpModule, FeedModule, AlertDeliveryModule, NewsPollingModule],
    };
  }

  static forCli(config: Config): DynamicModule {
    return { module: AppModule, imports: core(config) };
  }
}

function core(config: Config) {
  return [
    ConfigModule.forRoot(config),
    LoggerModule.forRoot({
      pinoHttp: {
        level: config.LOG_LEVEL,
        // With tracing on, every line logged inside a span names its trace and span.
        mixin: traceFields,
        // One access line per request, small: who asked what, and the answer's status. Headers are
        // not logged (keys and cookies are secrets; the response's dozen security headers were
        // 1 KB a line); the feed token, which rides in the URL, is masked.
        serializers: {
          req: (req: { id?: unknown; method?: string; url?: string; remoteAddress?: string; headers?: Record<string, unknown> }) => ({
            id: req.id,
            method: req.method,
            url: req.url?.replace(/([?&]token=)[^&]*/g, '$1[Redacted]'),
            remoteAddress: req.remoteAddress,
            userAgent: req.headers?.['user-agent'],
          }),
          res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        },
        autoLogging: { ignore: (req) => req.url === '/health' },
        // A caller's X-Request-Id (a proxy's, a client's) is kept and echoed; else one is made.
        // It is in every log line of the request and in every error body (requestId).
        // (echoed as X-Request-Id by http/observe-requests.ts).
        genReqId: (req) => requestIdOf(req),
      },
    }),
    CqrsModule.forRoot(),
    DatabaseModule,
    EventStoreModule.forRoot(eventDefinitions),
    MetricsModule,
    ProjectionsModule.forRoot({ projections, consumers: batchConsumers }),
    NegotiationModule.forRoot({ citations: NewsCitations }),
    ReadingModule,
    AlertingModule,
    NewsModule,
    ReviewModule,
    ScenariosModule,
    ExamplesModule,
  ];
}
