import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Parley's Prometheus metrics, in a registry of its own (several apps can live in one test
 * process). Gauges that need the database are filled at scrape time by MetricsController.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly eventsAppended = new Counter({
    name: 'parley_events_appended_total',
    help: 'Events appended, by type',
    labelNames: ['type'],
    registers: [this.registry],
  });

  readonly appendDuration = new Histogram({
    name: 'parley_append_duration_seconds',
    help: 'Time to validate and append one write request',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly projectorLag = new Gauge({
    name: 'parley_projector_lag_events',
    help: 'Events in the log not yet projected (head position minus checkpoint)',
    registers: [this.registry],
  });

  readonly projectionSkipped = new Gauge({
    name: 'parley_projection_skipped_events',
    help: 'Events the projection could not process and passed over (see /health and projection_skipped)',
    registers: [this.registry],
  });

  readonly leader = new Gauge({ name: 'parley_leader', help: '1 when this instance leads (runs the projector and alert evaluation), else 0', registers: [this.registry] });

  readonly headPosition = new Gauge({ name: 'parley_log_head_position', help: 'Global position of the last event', registers: [this.registry] });

  readonly sseClients = new Gauge({ name: 'parley_sse_clients', help: 'Connected feed clients', registers: [this.registry] });

  readonly alertFirings = new Counter({
    name: 'parley_alert_firings_total',
    help: 'Alert firings and restatements, by rule kind and type',
    labelNames: ['kind', 'type'],
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'parley_webhook_deliveries_total',
    help: 'Webhook delivery attempts, by outcome (delivered, failed, dead)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  readonly webhooksDead = new Gauge({ name: 'parley_webhooks_dead', help: 'Deliveries given up on (dead letters)', registers: [this.registry] });

  readonly sseDropped = new Counter({ name: 'parley_sse_dropped_total', help: 'Feed clients dropped for falling too far behind (they resume with Last-Event-ID)', registers: [this.registry] });

  readonly readCache = new Counter({
    name: 'parley_read_cache_total',
    help: 'As-of reads by what the cache did: revalidated (304, no query run), hit (answered from memory), miss',
    labelNames: ['result'],
    registers: [this.registry],
  });

  readonly httpRequests = new Counter({
    name: 'parley_http_requests_total',
    help: 'HTTP requests answered, by route (the route pattern, not the URL) and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'Time to answer an HTTP request (the SSE feed is left out: its requests last as long as the client stays)',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly outboxPending = new Gauge({ name: 'parley_outbox_pending', help: 'Webhook and Alertmanager deliveries not yet delivered (nor dead)', registers: [this.registry] });

  readonly outboxOldest = new Gauge({ name: 'parley_outbox_oldest_pending_seconds', help: 'Age of the oldest pending delivery (0 when none)', registers: [this.registry] });

  readonly deliveryLatency = new Histogram({
    name: 'parley_delivery_latency_seconds',
    help: 'From a firing to its delivery being acknowledged, by target kind',
    labelNames: ['kind'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
    registers: [this.registry],
  });

  readonly issueGap = new Gauge({
    name: 'parley_gap_issue',
    help: 'Current gap (0–100) between two parties of a negotiation on one issue',
    labelNames: ['negotiation', 'a', 'b', 'issue'],
    registers: [this.registry],
  });

  readonly replicaLag = new Gauge({
    name: 'parley_replica_lag_events',
    help: "How many events a replica's log is behind the primary's head",
    labelNames: ['replica'],
    registers: [this.registry],
  });

  readonly replicaUp = new Gauge({ name: 'parley_replica_up', help: '1 when a replica answers, else 0', labelNames: ['replica'], registers: [this.registry] });

  readonly overallGap = new Gauge({
    name: 'parley_gap_overall',
    help: 'Current overall gap (0–100) between two parties of a negotiation',
    labelNames: ['negotiation', 'a', 'b'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'parley_' });
    // prom-client names three gauges `…_total`, which Prometheus reserves for counters
    // (`promtool check metrics` refuses them): they go, the rest of the defaults stay.
    for (const name of ['active_handles_total', 'active_requests_total', 'active_resources_total']) {
      this.registry.removeSingleMetric(`parley_nodejs_${name}`);
    }
  }

  /**
   * Labelled counters start at zero for every label value known up front, so `rate()` sees
   * the first increase rather than a series that appears from nowhere.
   */
  initialise(eventTypes: string[]): void {
    for (const type of eventTypes) this.eventsAppended.inc({ type }, 0);
    for (const outcome of ['delivered', 'failed', 'dead']) this.webhookDeliveries.inc({ outcome }, 0);
    this.sseDropped.inc(0);
  }
}
