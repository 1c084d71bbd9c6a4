import { Controller, Get, Inject, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from './platform';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import { serverRole } from '../database/role';
import { Access } from './auth/access';
import { Readiness } from './health/readiness';

/**
 * Probes for machines (Kubernetes, HAProxy), beside /health for people. /livez is the process
 * alone: a database failover must not restart every instance. /readyz is "send me requests":
 * the database answers and takes writes, and the process is not draining.
 */
@Access('public')
@SkipThrottle()
@Controller()
export class ProbesController {
  constructor(
    @Inject(DATABASE) private readonly connection: DatabaseConnection,
    private readonly readiness: Readiness,
  ) {}

  @Get('livez')
  live() {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready(@Res({ passthrough: true }) response: Response) {
    if (this.readiness.isDraining) return this.unready(response, 'draining', 'shutting down');
    try {
      const role = await serverRole(this.connection.db);
      if (!role.writable) return this.unready(response, 'read_only', 'the database is a standby: waiting for a primary');
      return { status: 'ready', database: role };
    } catch (error) {
      return this.unready(response, 'database_unavailable', (error as Error).message);
    }
  }

  private unready(response: Response, status: string, message: string) {
    response.status(503).header('Retry-After', '1');
    return { status, message };
  }
}
