import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { takeOver, type Request, type Response } from './platform';
import { exportLog, restoreLog } from '../event-store/backup';
import { markJudged } from '../alerting/evaluate-batch';
import { NDJSON_TYPES, requireContentType } from './content-type';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import { ProjectionsService } from '../projection-runner/projections.service';
import { Access } from './auth/access';
import { ReadGate } from '../projection-runner/read-gate';
import { readContextOf } from './read-context';

@ApiTags('admin')
@ApiBearerAuth()
@Access('admin')
@Controller('admin')
export class AdminController {
  constructor(
    @Inject(DATABASE) private readonly connection: DatabaseConnection,
    private readonly projections: ProjectionsService,
    private readonly gate: ReadGate,
  ) {}

  /**
   * The whole log as NDJSON, every field (`parley export` through the server): from a replica
   * once its log holds everything written before the request, else from the primary.
   */
  @Get('export')
  async export(@Req() request: Request, @Res() response: Response) {
    const db = await this.gate.openLog(readContextOf(request, response));
    // Streamed by hand, with back-pressure.
    const raw = takeOver(response, { 'Content-Type': 'application/x-ndjson' });
    for await (const line of exportLog(db)) {
      // A client that went away never drains: stop reading the log for it.
      if (raw.destroyed) return;
      if (!raw.write(line)) await drainedOrClosed(raw);
    }
    raw.end();
  }

  /** Loads an export into an empty database (refused otherwise); projections follow. */
  @Post('restore')
  @HttpCode(200)
  async restore(@Req() request: Request) {
    requireContentType(request, NDJSON_TYPES);
    return restoreLog(this.connection.db, typeof request.body === 'string' ? request.body : '', markJudged);
  }

  /** Rebuilds every projection from the log; reads keep answering from the old tables meanwhile. */
  @Post('rebuild')
  @HttpCode(200)
  async rebuild() {
    const started = Date.now();
    const result = await this.projections.rebuild();
    return { events: result.events, position: result.position, ms: Date.now() - started };
  }
}

/** Resolves when `response` can take more, or is gone (then it never drains). */
function drainedOrClosed(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
