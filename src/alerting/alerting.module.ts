import { Module } from '@nestjs/common';
import { ReadingModule } from '../negotiation/reading/reading.module';
import { alertRuleCommandHandlers } from './alert-rules.commands';
import { AlertDelivery } from './alert-delivery.service';
import { alertQueryHandlers } from './alerts.queries';

/**
 * Alert rules and firings (commands, queries). Their evaluation is a batch consumer
 * (AlertEvaluation, given to the projection runner by app.module).
 */
@Module({
  imports: [ReadingModule],
  providers: [...alertRuleCommandHandlers, ...alertQueryHandlers],
})
export class AlertingModule {}

/** Webhook delivery and the Alertmanager re-sender: in the server's composition only. */
@Module({ providers: [AlertDelivery] })
export class AlertDeliveryModule {}
