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
  /** Whether this is the last event of its append: the store records where each append ends. */
  endsAppend: boolean;
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
   * The stream as the caller's checks saw it (its version and last event id). The append is
   * refused with StaleAppend if the stream has moved on since: checks run outside the lock,
   * against a cached state, and this is what makes that safe.
   */
  base?: { version: number; lastEventId: string | null };
}

export interface ReadOptions {
  /** Exclusive lower bound on the position (global for readAll, stream version for streams). */
  after?: number;
  limit?: number;
  /** readAll only: keep one stream's events (still in global order). */
  streamId?: string;
}

/** What a command handler keeps of a stream: where it is, and the event it ends with. */
export interface StreamState {
  version: number;
  lastEventId: string | null;
}

/** An event as a decider sees it: appended (prepared) or read back. */
export interface DecidedEvent {
  id: string;
  type: string;
  data: unknown;
  occurredAt: Date;
}

/**
 * How a stream's state is built from its events, for a command handler (event-store/handle-command):
 * `evolve` folds one event in place; `draftOf` gives a view a decision may fold into without
 * touching the state, which `apply()` writes back once the append is sent.
 */
export interface Fold<State extends StreamState> {
  initialState(): State;
  evolve(state: State, event: DecidedEvent): void;
  draftOf(state: State): State & { apply(): void };
}
