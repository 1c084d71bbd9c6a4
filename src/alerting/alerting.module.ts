import { Module } from '@nestjs/common';
import { NegotiationModule } from '../negotiation/negotiation.module';
import { ReadingModule } from '../negotiation/reading/reading.module';
import { alertRuleCommandHandlers } from './alert-rules.commands';
import { AlertingService } from './alerting.service';
import { alertQueryHandlers } from './alerts.queries';

/** Alert rules, their evaluation with each projector batch, firings and webhook delivery. */
@Module({
  imports: [NegotiationModule, ReadingModule],
  providers: [AlertingService, ...alertRuleCommandHandlers, ...alertQueryHandlers],
})
export class AlertingModule {}
