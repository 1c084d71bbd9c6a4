import { Inject, Injectable } from '@nestjs/common';
import type { Transaction } from 'kysely';
import { CONFIG, type Config } from '../config/config';
import type { Database } from '../database/schema';
import { EventStore } from '../event-store/event-store';
import { Metrics } from '../metrics/metrics';
import type { BatchConsumer, ProjectedBatch } from '../projection-runner/batch-consumer';
import { evaluateAlerts } from './evaluate-batch';
import { externalUrlOf } from './external-url';

/**
 * Judges every append in the projector's batches, inside each batch's transaction: firings,
 * their deliveries and the alerting checkpoint commit with the projection or not at all. A
 * batch consumer (app.module).
 */
@Injectable()
export class AlertEvaluation implements BatchConsumer {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly store: EventStore,
    private readonly metrics: Metrics,
  ) {}

  inBatch(trx: Transaction<Database>, batch: ProjectedBatch): Promise<void> {
    return evaluateAlerts(trx, this.store, batch, {
      externalUrl: externalUrlOf(this.config),
      resendMs: this.config.PARLEY_ALERTMANAGER_RESEND_MS,
      onFiring: (firing) => this.metrics.alertFirings.inc({ kind: firing.rule.definition.kind, type: firing.type }),
    });
  }
}
