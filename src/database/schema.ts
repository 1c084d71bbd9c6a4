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
}

export interface EventStoreHeadTable {
  singleton: Generated<boolean>;
  position: Int8;
}

/** Mirrors migrations/: one interface per table. */
export interface Database {
  events: EventsTable;
  event_store_head: EventStoreHeadTable;
}

export type EventRow = Selectable<EventsTable>;
