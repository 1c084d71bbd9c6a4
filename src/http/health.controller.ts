import { SkipThrottle } from '@nestjs/throttler';
import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Access } from './auth/access';
import { DatabaseHealthIndicator } from './health/database.health';
import { ProjectionsHealthIndicator } from './health/projections.health';

/** Liveness (the process answers) and readiness (the database answers): 200 or 503. */
@Access('public')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly projections: ProjectionsHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.database.isReady(), () => this.projections.status()]);
  }
}
