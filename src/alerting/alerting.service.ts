import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import { EventStore } from '../event-store/event-store';
import { ProjectionsService } from '../projection-runner/projections.service';
import { Metrics } from '../metrics/metrics';
import { evaluateAlerts } from './evaluate-batch';
import { WebhookDeliverer } from './webhook-deliverer';
import { AlertmanagerResender } from './alertmanager-resender';
import { redactUrl } from '../outbound/allow-list';

/** Wires alert evaluation into the projector's batches, and runs webhook delivery. */
@Injectable()
export class AlertingService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Alerts');
  readonly deliverer: WebhookDeliverer;
  readonly resender: AlertmanagerResender;

  constructor(
    @Inject(DATABASE) connection: DatabaseConnection,
    @Inject(CONFIG) private readonly config: Config,
    private readonly store: EventStore,
    private readonly projections: ProjectionsService,
    private readonly metrics: Metrics,
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
      externalUrl: this.externalUrl,
      resendMs: config.PARLEY_ALERTMANAGER_RESEND_MS,
      allow: config.PARLEY_WEBHOOK_ALLOW,
      timeoutMs: config.PARLEY_WEBHOOK_TIMEOUT_MS,
      leading: () => projections.leading,
      onError: (error, url) => this.logger.warn({ err: error, url: redactUrl(url) }, 'could not re-send open alerts to Alertmanager; trying again next interval'),
    });
  }

  private get externalUrl(): string {
    return (this.config.PARLEY_PUBLIC_URL ?? `http://${this.config.host}:${this.config.PORT}`).replace(/\/$/, '');
  }

  onModuleInit(): void {
    this.projections.addBatchStep((trx, checkpoint) =>
      evaluateAlerts(trx, this.store.registry, checkpoint, {
        externalUrl: this.externalUrl,
        resendMs: this.config.PARLEY_ALERTMANAGER_RESEND_MS,
        onFiring: (firing) => this.metrics.alertFirings.inc({ kind: firing.rule.definition.kind, type: firing.type }),
      }),
    );
  }

  // A CLI command delivers nothing: deliveries belong to the servers (issue: the CLI once
  // marked deliveries dead by its own PARLEY_WEBHOOK_ALLOW).
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.processKind !== 'server') return;
    await this.deliverer.start();
    this.resender.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.resender.stop();
    await this.deliverer.stop();
  }
}
