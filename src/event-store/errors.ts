import { DomainError } from '../shared/domain-error';

/** Event store errors. */
export abstract class EventStoreError extends DomainError {}

export type ExpectedVersion = number | 'no_stream' | 'any';

export class VersionConflict extends EventStoreError {
  readonly code = 'EVENT_STORE.VERSION_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`Stream ${streamId} is at version ${actual}, expected ${String(expected)}`);
  }
}

export class IdConflict extends EventStoreError {
  readonly code = 'EVENT_STORE.ID_CONFLICT';
  constructor(readonly eventId: string) {
    super(`Event ${eventId} is already stored with other content`);
  }
}

export class UnknownEventType extends EventStoreError {
  readonly code = 'EVENT_STORE.UNKNOWN_EVENT_TYPE';
  constructor(readonly type: string) {
    super(`Unknown event type "${type}"`);
  }
}

export class InvalidEventData extends EventStoreError {
  readonly code = 'EVENT_STORE.INVALID_EVENT_DATA';
  constructor(
    readonly type: string,
    readonly index: number,
    readonly issues: { path: (string | number)[]; message: string }[],
  ) {
    super(`Invalid data for ${type} (event ${index}): ${issues.map((i) => i.message).join('; ')}`);
  }
}

/**
 * The connection was lost while the append committed: it may be stored or not. Retrying the
 * same events with the same ids is safe (idempotent) and tells which.
 */
export class AppendOutcomeUnknown extends EventStoreError {
  readonly code = 'EVENT_STORE.OUTCOME_UNKNOWN';
  constructor(override readonly cause: unknown) {
    super('The connection to the database was lost while the append committed: it may or may not be stored');
  }
}

/**
 * The stream moved on since the caller's checks saw it (another writer appended): nothing was
 * written; check again against the new state and retry.
 */
export class StaleAppend extends EventStoreError {
  readonly code = 'EVENT_STORE.STALE';
  constructor(
    readonly streamId: string,
    readonly actual: number,
  ) {
    super(`Stream ${streamId} moved on to version ${actual} while the append was being checked`);
  }
}
