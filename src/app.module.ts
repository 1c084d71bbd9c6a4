import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import type { Config } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EventStoreModule } from './event-store/event-store.module';
import { HttpModule } from './http/http.module';
import { ExamplesModule } from './examples/example-dataset';
import { alertEventDefinitions } from './alerting/alert-rules';
import { negotiationEventDefinitions } from './negotiation/domain/events';
import { NegotiationModule } from './negotiation/negotiation.module';
import { MetricsModule } from './metrics/metrics.module';
import { ProjectionsModule } from './projection-runner/projections.module';
import { ruleVersionsProjection } from './alerting/rule-versions.projection';
import { openAlertsProjection } from './alerting/open-alerts.projection';
import { stanceProjection } from './negotiation/stances/stance.projection';
import { newsEventDefinitions } from './news/news-events';
import { newsProjection } from './news/news.projection';

/** Every read model, from the context that owns it: the projection runner itself knows none. */
export const projections = [stanceProjection, ruleVersionsProjection, openAlertsProjection, newsProjection] as const;

/** Every event type the log holds, by context. */
export const eventDefinitions = [...negotiationEventDefinitions, ...alertEventDefinitions, ...newsEventDefinitions];

@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            // Keys and feed tokens are secrets: never in a log line (the token also rides in the URL).
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.query.token'],
            serializers: {
              req: (req: { url?: string }) => ({ ...req, url: req.url?.replace(/([?&]token=)[^&]*/g, '$1[Redacted]') }),
            },
            autoLogging: { ignore: (req) => req.url === '/health' },
          },
        }),
        CqrsModule.forRoot(),
        DatabaseModule,
        EventStoreModule.forRoot(eventDefinitions),
        MetricsModule,
        NegotiationModule,
        ProjectionsModule.forRoot(projections),
        HttpModule,
        ExamplesModule,
      ],
    };
  }
}
