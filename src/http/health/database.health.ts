import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { serverRole } from '../../database/role';
import type { DatabaseConnection } from '../../database/connection';
import { DATABASE } from '../../database/database.module';

@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(DATABASE) private readonly connection: DatabaseConnection,
  ) {}

  async isReady(key = 'database') {
    const indicator = this.health.check(key);
    try {
      // Up while the database answers, writable or not (reads carry on through a failover);
      // `writable` and the server's address say which node is the primary and whether writes can land.
      return indicator.up({ kind: this.connection.kind, ...(await serverRole(this.connection.db)) });
    } catch (error) {
      return indicator.down({ kind: this.connection.kind, message: (error as Error).message });
    }
  }
}
