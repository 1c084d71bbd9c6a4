import { SkipThrottle } from '@nestjs/throttler';
import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Access } from './auth/access';
import { DatabaseHealthIndicator } from './health/database.health';
import { ProjectionsService } from '../projection-runner/projections.service';
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
    private readonly runner: ProjectionsService,
  ) {}

  @Get()
  @HealthCheck()
  async check() {
    const result = await this.health.check([() => this.database.isReady(), () => this.projections.status()]);
    // Whether this instance leads (runs the projector and alert evaluation).
    return { ...result, leader: this.runner.leading };
  }
}
