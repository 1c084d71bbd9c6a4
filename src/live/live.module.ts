import { Module } from '@nestjs/common';
import { HttpModule } from '../http/http.module';
import { NegotiationModule } from '../negotiation/negotiation.module';
import { QueriesModule } from '../queries/queries.module';
import { AppendMetricsHandler } from './append-metrics.handler';
import { AlertsController } from './alerts.controller';
import { alertRuleCommandHandlers } from './alerts/alert-rules.commands';
import { AlertingService } from './alerts/alerting.service';
import { alertQueryHandlers } from './alerts/alerts.queries';
import { FeedController } from './feed.controller';
import { FeedHub } from './feed.hub';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';

/** What dashboards and alerting systems plug into: the feed, alert rules, webhooks, metrics. */
@Module({
  imports: [HttpModule, NegotiationModule, QueriesModule],
  controllers: [FeedController, AlertsController, MetricsController],
  providers: [FeedHub, { provide: Metrics, useFactory: () => new Metrics() }, AlertingService, AppendMetricsHandler, ...alertRuleCommandHandlers, ...alertQueryHandlers],
  exports: [FeedHub, Metrics],
})
export class LiveModule {}
