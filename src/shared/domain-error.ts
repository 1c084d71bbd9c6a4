/**
 * Every expected failure in Parley is a DomainError with a stable code (`CONTEXT.WHAT`), mapped
 * to an HTTP status and body once, in src/http/error-table.ts, whose type fails `tsc` when a
 * code below has no answer. It lives here, on the ground floor, so every layer can extend it
 * without importing another.
 */
export type ErrorCode =
  | 'REQUEST.INVALID'
  | 'NEGOTIATION.RULE_VIOLATION'
  | 'NEGOTIATION.UNKNOWN'
  | 'NEGOTIATION.UNKNOWN_VERSION'
  | 'EVENT_STORE.INVALID_EVENT_DATA'
  | 'EVENT_STORE.UNKNOWN_EVENT_TYPE'
  | 'EVENT_STORE.VERSION_CONFLICT'
  | 'EVENT_STORE.ID_CONFLICT'
  | 'EVENT_STORE.RESTORE_REFUSED'
  | 'EVENT_STORE.STALE'
  | 'EVENT_STORE.OUTCOME_UNKNOWN'
  | 'PROJECTIONS.REBUILD_RUNNING'
  | 'PROJECTIONS.LAGGING'
  | 'PROJECTIONS.BEYOND_LOG'
  | 'ALERTS.UNKNOWN_RULE'
  | 'NEWS.UNKNOWN_SOURCE'
  | 'NEWS.SOURCE_EXISTS'
  | 'REVIEW.UNKNOWN_PROPOSAL'
  | 'REVIEW.PROPOSAL_DECIDED'
  | 'SCENARIO.UNKNOWN'
  | 'SCENARIO.EXISTS'
  | 'SCENARIO.CLOSED'
  /** A request Parley would make (a webhook, a feed) to a host it may not reach: never an HTTP answer of its own. */
  | 'OUTBOUND.REFUSED';

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
}

/** A request that does not have the shape we accept (HTTP 400, CLI exit 1), field by field. */
export class InvalidRequest extends DomainError {
  readonly code = 'REQUEST.INVALID';
  constructor(readonly issues: { path: (string | number)[]; message: string; line?: number }[]) {
    super(issues.map((i) => `${i.line ? `line ${i.line}: ` : ''}${i.path.join('.')}: ${i.message}`).join('; '));
  }
}
