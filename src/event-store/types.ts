import type { Transaction } from 'kysely';
import type { Database } from '../database/schema';
import type { ExpectedVersion } from './errors';

export interface EventToAppend {
  /** Client-supplied for idempotency; generated when absent. */
  id?: string;
  type: string;
  data: unknown;
  /** Valid time: when it happened in the world. */
  occurredAt: Date;
  metadata?: Record<string, unknown>;
}

export interface StoredEvent {
  id: string;
  streamId: string;
  streamVersion: number;
  globalPosition: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Record<string, unknown>;
  occurredAt: Date;
  /** Transaction time, from the database clock, millisecond precision. */
  recordedAt: Date;
}

export interface AppendedEvent {
  id: string;
  globalPosition: number;
  streamVersion: number;
}

export interface AppendResult {
  /** The stream's version after the append. */
  streamVersion: number;
  /** One entry per event asked for, in order; already-stored ones carry their first positions. */
  events: AppendedEvent[];
  appended: number;
  skipped: number;
}

export interface AppendOptions {
  expectedVersion?: ExpectedVersion;
  /**
   * Runs under the append lock, after idempotency and the version check, with the stream's
   * version and the events about to be written: the place for checks that must see the
   * stream exactly as the append will extend it. Throwing writes nothing.
   */
  beforeAppend?: (context: BeforeAppendContext) => Promise<void>;
}

export interface BeforeAppendContext {
  db: Transaction<Database>;
  streamId: string;
  version: number;
  events: { id: string; type: string; data: unknown; occurredAt: Date }[];
}

export interface ReadOptions {
  /** Exclusive lower bound on the position (global for readAll, stream version for streams). */
  after?: number;
  limit?: number;
  /** readAll only: keep one stream's events (still in global order). */
  streamId?: string;
}
