import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import type { Config } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthModule } from './health/health.module';
import { HttpModule } from './http/http.module';
import { alertEventDefinitions } from './live/alerts/rules';
import { LiveModule } from './live/live.module';
import { negotiationEventDefinitions } from './negotiation/events';
import { NegotiationModule } from './negotiation/negotiation.module';
import { ProjectionsModule } from './projections/projections.module';
import { QueriesModule } from './queries/queries.module';

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
        EventStoreModule.forRoot([...negotiationEventDefinitions, ...alertEventDefinitions]),
        NegotiationModule,
        ProjectionsModule,
        QueriesModule,
        HttpModule,
        LiveModule,
        HealthModule,
      ],
    };
  }
}
