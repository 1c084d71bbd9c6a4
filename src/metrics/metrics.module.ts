import { Global, Module } from '@nestjs/common';
import { AppendMetricsHandler } from './append-metrics.handler';
import { Metrics } from './metrics';

/** Parley's Prometheus registry, filled by every context and scraped by http/metrics.controller. */
@Global()
@Module({
  providers: [{ provide: Metrics, useFactory: () => new Metrics() }, AppendMetricsHandler],
  exports: [Metrics],
})
export class MetricsModule {}
