import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import { EventStore } from '../event-store/event-store';
import { rebuildProjections } from '../projections/rebuild';
import { Access } from './auth/access';

@ApiTags('admin')
@ApiBearerAuth()
@Access('admin')
@Controller('admin')
export class AdminController {
  constructor(
    @Inject(DATABASE) private readonly connection: DatabaseConnection,
    private readonly store: EventStore,
  ) {}

  /** Rebuilds every projection from the log; reads keep answering from the old tables meanwhile. */
  @Post('rebuild')
  @HttpCode(200)
  async rebuild() {
    const started = Date.now();
    const result = await rebuildProjections(this.connection, this.store.registry);
    return { events: result.events, position: result.position, ms: Date.now() - started };
  }
}
