import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Metrics } from '../metrics/metrics';

/**
 * Counts every answer by route pattern (`/negotiations/:nid/stances`, never the URL itself, so
 * the label set stays bounded) and status, and times it. A request no route matched is
 * `unmatched`. The feed is counted but not timed: its requests last as long as the client stays.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const matched = (request.route as { path?: string } | undefined)?.path;
      // Nest answers unknown paths from a catch-all route of its own.
      const route = matched === undefined || matched === '/{*path}' ? 'unmatched' : matched;
      const labels = { method: request.method, route };
      this.metrics.httpRequests.inc({ ...labels, status: String(response.statusCode) });
      if (route !== '/feed') this.metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  }
}
