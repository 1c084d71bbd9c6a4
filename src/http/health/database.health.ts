import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ping } from '../../database/ping';
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
      await ping(this.connection.db);
      return indicator.up({ kind: this.connection.kind });
    } catch (error) {
      return indicator.down({ kind: this.connection.kind, message: (error as Error).message });
    }
  }
}
