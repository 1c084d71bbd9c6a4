import { Controller, Get, Header, Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import { REPLICAS, type Replicas } from '../database/replicas';
import { Access } from './auth/access';
import { projectionStatus } from '../projection-runner/checkpoints';
import { ProjectionsService } from '../projection-runner/projections.service';
import { GetGaps } from '../negotiation/analysis/get-gaps.query';
import { ListNegotiations } from '../negotiation/reading/list-negotiations.query';
import { FeedHub } from '../feed/feed.hub';
import { Metrics } from '../metrics/metrics';
import { EventStore } from '../event-store/event-store';
import { outboxBacklog } from '../alerting/outbox-backlog';

/** Prometheus text format. Gauges read from the database are refreshed at each scrape. */
@ApiTags('live')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly hub: FeedHub,
    private readonly queries: QueryBus,
    @Inject(DATABASE) private readonly database: DatabaseConnection,
    private readonly runner: ProjectionsService,
    @Inject(REPLICAS) private readonly replicas: Replicas,
    private readonly store: EventStore,
  ) {}

  @Get()
  @Access('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    const { head, checkpoint, skipped } = await projectionStatus(this.database.db);
    this.metrics.headPosition.set(head);
    this.metrics.projectorLag.set(Math.max(0, head - checkpoint));
    this.metrics.projectionSkipped.set(skipped);
    this.metrics.leader.set(this.runner.leading ? 1 : 0);
    this.metrics.sseClients.set(this.hub.size);
    const outbox = await outboxBacklog(this.database.db);
    this.metrics.webhooksDead.set(outbox.dead);
    this.metrics.outboxPending.set(outbox.pending);
    this.metrics.outboxOldest.set(outbox.oldest ? Math.max(0, (Date.now() - outbox.oldest.getTime()) / 1000) : 0);
    await this.scrapeReplicas(head);
    this.metrics.overallGap.reset();
    this.metrics.issueGap.reset();
    const { negotiations } = await this.queries.execute(new ListNegotiations());
    for (const { id } of negotiations) {
      const { pairs } = await this.queries.execute(new GetGaps(id, {}));
      for (const pair of pairs) {
        if (pair.overall !== null) this.metrics.overallGap.set({ negotiation: id, a: pair.a, b: pair.b }, pair.overall);
        for (const issue of pair.issues) this.metrics.issueGap.set({ negotiation: id, a: pair.a, b: pair.b, issue: issue.issue }, issue.gap);
      }
    }
    return this.metrics.registry.metrics();
  }

  private async scrapeReplicas(head: number): Promise<void> {
    for (const [index, { connection }] of this.replicas.connections.entries()) {
      const replica = `replica-${index}`;
      try {
        const replicaHead = await this.store.over(connection.db).headPosition();
        this.metrics.replicaUp.set({ replica }, 1);
        this.metrics.replicaLag.set({ replica }, Math.max(0, head - replicaHead));
      } catch {
        this.metrics.replicaUp.set({ replica }, 0);
      }
    }
  }
}
