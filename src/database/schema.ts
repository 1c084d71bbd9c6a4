import type { ColumnType, Generated, Selectable } from 'kysely';

/** int8 columns come back from pg (and PGlite's adapter) as strings. */
type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface EventsTable {
  global_position: Int8;
  id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: Generated<number>;
  data: Json;
  metadata: Json<Record<string, unknown>>;
  occurred_at: Timestamp;
  recorded_at: Timestamp;
  /** The last event of its append (one caller's call of parley_append). */
  ends_append: Generated<boolean>;
}

export interface EventStoreHeadTable {
  singleton: Generated<boolean>;
  position: Int8;
}

export interface ProjectionCheckpointsTable {
  name: string;
  position: Int8;
}

export interface ProjectedPartiesTable {
  negotiation_id: string;
  party: string;
  name: string;
  aliases: Json<string[]>;
  capability: number | null;
  recorded_at: Timestamp;
  position: Int8;
}

export interface ProjectedIssuesTable {
  negotiation_id: string;
  issue: string;
  title: string;
  scale_min: number;
  scale_max: number;
  labels: Json<Record<string, string>>;
  /** Short words news about the issue uses (IssueDefined.keywords): watch terms by default. */
  keywords: Json<string[]>;
  status_quo: number | null;
  recorded_at: Timestamp;
  position: Int8;
}

export interface StanceVersionsTable {
  event_id: string;
  version_position: Int8;
  negotiation_id: string;
  type: string;
  retracted: boolean;
  occurred_at: Timestamp;
  recorded_at: Timestamp;
  source: Json<Record<string, unknown> | null>;
  date_precision: string | null;
  /** When this version became public: the original's report, or the amendment's own (null: its recordedAt). */
  public_at: Timestamp | null;
}

export interface StanceFactsTable {
  negotiation_id: string;
  party: string;
  issue: string;
  kind: 'set' | 'withdraw' | 'red-line';
  value: number | null;
  salience: number | null;
  min: number | null;
  max: number | null;
  summary: string | null;
  confidence: number | null;
  quote: string | null;
  uncertainty_low: number | null;
  uncertainty_high: number | null;
  basis: string | null;
  /** When the fact's report became public: source.publishedAt, else the report's recordedAt. */
  public_at: Timestamp | null;
  event_id: string;
  event_position: Int8;
  version_position: Int8;
  occurred_at: Timestamp;
  recorded_at: Timestamp;
}

export interface StanceKeysTable {
  negotiation_id: string;
  party: string;
  issue: string;
}

export interface AlertRuleVersionsTable {
  rule_id: string;
  position: Int8;
  negotiation_id: string;
  name: string;
  kind: string;
  params: Json<Record<string, unknown>>;
  webhook_url: string | null;
  alertmanager_url: string | null;
  removed: boolean;
}

export interface WebhookSecretsTable {
  rule_id: string;
  secret: string;
  /** The full target URL; events hold it redacted. Null for rules saved before it was kept here. */
  url: string | null;
}

export interface AlertingCheckpointTable {
  singleton: Generated<boolean>;
  position: Int8;
  /** First position of an append judged only once its last event is projected. */
  pending_from: Int8 | null;
}

/** Positions projected ahead of the checkpoint (a read's own streams, past a large backlog). */
/** Rate-limit and failed-authentication windows shared by every instance (http/auth/rate-windows.ts). */
export interface RateWindowsTable {
  key: string;
  hits: number;
  resets_at: Date;
}

export interface ProjectedAheadTable {
  global_position: Int8;
}

/** Streams a waiting read needs projected: the leader's projector takes them ahead. */
export interface ProjectionWantsTable {
  stream_id: string;
  wanted_at: Timestamp;
}

export interface ProjectionSkippedTable {
  projection: string;
  global_position: Int8;
  event_id: string;
  error: string;
  skipped_at: Generated<Date>;
}

export interface WebhookOutboxTable {
  id: string;
  kind: Generated<'webhook' | 'alertmanager'>;
  negotiation_id: string;
  rule_id: string;
  url: string;
  payload: Json<Record<string, unknown>>;
  status: 'pending' | 'delivered' | 'dead';
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
  /** The firing's trace (W3C traceparent) when it was traced: the delivery continues it. */
  traceparent: string | null;
}

export interface OpenAlertsTable {
  firing_id: string;
  negotiation_id: string;
  rule_id: string;
  key: string;
  summary: string;
  starts_at: Timestamp;
}

export interface NewsSourcesTable {
  id: string;
  url: string;
  poll_interval: string;
  negotiations: Json<string[]>;
  removed: boolean;
  position: Int8;
}

export interface NewsSourceStatusTable {
  source_id: string;
  etag: string | null;
  last_modified: string | null;
  last_fetched_at: Timestamp | null;
  last_error: string | null;
  failures: Generated<number>;
  next_poll_at: Timestamp;
  last_notice: string | null;
  window_started_at: Timestamp | null;
  window_items: Generated<number>;
}

export interface NewsItemsTable {
  item_id: string;
  version_position: Int8;
  event_id: string;
  source_id: string | null;
  negotiation_id: string | null;
  guid: string | null;
  url: string | null;
  title: string;
  publisher: string | null;
  published_at: Timestamp | null;
  summary: string | null;
  content_hash: string;
  recorded_at: Timestamp;
}

export interface NewsWatchTable {
  negotiation_id: string;
  terms: Json<string[]>;
  case_sensitive: Json<string[]>;
  exclude: Json<string[]>;
  position: Int8;
}

export interface NewsDismissalsTable {
  negotiation_id: string;
  item_id: string;
  reason: string;
  position: Int8;
}

/** Mirrors migrations/: one interface per table. */
export interface Database {
  events: EventsTable;
  event_store_head: EventStoreHeadTable;
  projection_checkpoints: ProjectionCheckpointsTable;
  projected_parties: ProjectedPartiesTable;
  projected_issues: ProjectedIssuesTable;
  stance_versions: StanceVersionsTable;
  stance_facts: StanceFactsTable;
  stance_keys: StanceKeysTable;
  alert_rule_versions: AlertRuleVersionsTable;
  webhook_secrets: WebhookSecretsTable;
  alerting_checkpoint: AlertingCheckpointTable;
  webhook_outbox: WebhookOutboxTable;
  open_alerts: OpenAlertsTable;
  news_sources: NewsSourcesTable;
  news_source_status: NewsSourceStatusTable;
  news_items: NewsItemsTable;
  news_watch: NewsWatchTable;
  news_dismissals: NewsDismissalsTable;
  projection_skipped: ProjectionSkippedTable;
  projected_ahead: ProjectedAheadTable;
  rate_windows: RateWindowsTable;
  projection_wants: ProjectionWantsTable;
}

export type EventRow = Selectable<EventsTable>;
