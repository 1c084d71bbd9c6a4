import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { DatabaseConnection } from '../../database/connection';
import { DATABASE } from '../../database/database.module';
import { projectionStatus } from '../../projection-runner/checkpoints';

/**
 * Where the projection stands: its checkpoint, the log's head, and how many events it had to
 * pass over (projection_skipped). Skipped events do not make Parley unready: every other event
 * is served; they are reported so an operator looks.
 */
@Injectable()
export class ProjectionsHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(DATABASE) private readonly connection: DatabaseConnection,
  ) {}

  async status(key = 'projections') {
    const indicator = this.health.check(key);
    try {
      return indicator.up(await projectionStatus(this.connection.db));
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
