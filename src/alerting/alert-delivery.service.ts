import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import { ProjectionsService } from '../projection-runner/projections.service';
import { Metrics } from '../metrics/metrics';
import { WebhookDeliverer } from './webhook-deliverer';
import { AlertmanagerResender } from './alertmanager-resender';
import { externalUrlOf } from './external-url';
import { redactUrl } from '../outbound/allow-list';

/**
 * Webhook delivery and the Alertmanager re-sender: servers only (the CLI's composition leaves
 * this module out; a CLI command once marked deliveries dead by its own PARLEY_WEBHOOK_ALLOW).
 */
@Injectable()
export class AlertDelivery implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Alerts');
  readonly deliverer: WebhookDeliverer;
  readonly resender: AlertmanagerResender;

  constructor(
    @Inject(DATABASE) connection: DatabaseConnection,
    @Inject(CONFIG) config: Config,
    projections: ProjectionsService,
    metrics: Metrics,
  ) {
    this.deliverer = new WebhookDeliverer(connection, {
      allow: config.PARLEY_WEBHOOK_ALLOW,
      backoffMs: config.PARLEY_WEBHOOK_BACKOFF_MS,
      maxAttempts: config.PARLEY_WEBHOOK_MAX_ATTEMPTS,
      timeoutMs: config.PARLEY_WEBHOOK_TIMEOUT_MS,
      leaseMs: config.PARLEY_WEBHOOK_LEASE_MS,
      onOutcome: (outcome, delivered) => {
        metrics.webhookDeliveries.inc({ outcome });
        if (delivered) metrics.deliveryLatency.observe({ kind: delivered.kind }, delivered.latencyMs / 1000);
      },
      onError: (error) => this.logger.error({ err: error }, 'webhook delivery loop failed; retrying'),
    });
    this.resender = new AlertmanagerResender(connection, {
      externalUrl: externalUrlOf(config),
      resendMs: config.PARLEY_ALERTMANAGER_RESEND_MS,
      allow: config.PARLEY_WEBHOOK_ALLOW,
      timeoutMs: config.PARLEY_WEBHOOK_TIMEOUT_MS,
      leading: () => projections.leading,
      onError: (error, url) => this.logger.warn({ err: error, url: redactUrl(url) }, 'could not re-send open alerts to Alertmanager; trying again next interval'),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.deliverer.start();
    this.resender.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.resender.stop();
    await this.deliverer.stop();
  }
}
