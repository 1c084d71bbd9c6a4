import type { AppendOutcomeUnknown, IdConflict, InvalidEventData, UnknownEventType, VersionConflict, DomainError } from '../event-store/errors';
import type { InvalidRequest, RuleViolation } from '../negotiation/domain/errors';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

const message = (error: DomainError) => ({ message: error.message });

/**
 * Every domain error's HTTP answer, by its stable code: the one place a code becomes a status
 * and the contract's error body. A code missing here is a 500 (and a bug to fix here).
 */
export const ERROR_TABLE: Record<string, (error: DomainError) => Answer> = {
  'REQUEST.INVALID': (e) => ({ status: 400, body: { error: 'invalid_request', issues: (e as InvalidRequest).issues } }),
  'EVENT_STORE.INVALID_EVENT_DATA': (e) => {
    const { index, issues } = e as InvalidEventData;
    return { status: 400, body: { error: 'invalid_request', issues: issues.map((i) => ({ ...i, path: ['events', index, ...i.path] })) } };
  },
  'EVENT_STORE.UNKNOWN_EVENT_TYPE': (e) => ({
    status: 400,
    body: { error: 'invalid_request', issues: [{ path: ['type'], message: (e as UnknownEventType).message }] },
  }),
  'NEGOTIATION.RULE_VIOLATION': (e) => ({ status: 422, body: { error: 'rule_violation', issues: (e as RuleViolation).issues } }),
  'EVENT_STORE.VERSION_CONFLICT': (e) => {
    const { expected, actual } = e as VersionConflict;
    return { status: 409, body: { error: 'version_conflict', expected, actual } };
  },
  'EVENT_STORE.ID_CONFLICT': (e) => ({ status: 409, body: { error: 'id_conflict', id: (e as IdConflict).eventId, ...message(e) } }),
  'EVENT_STORE.RESTORE_REFUSED': (e) => ({ status: 409, body: { error: 'restore_refused', ...message(e) } }),
  'PROJECTIONS.REBUILD_RUNNING': (e) => ({ status: 409, body: { error: 'rebuild_running', ...message(e) }, headers: { 'Retry-After': '5' } }),
  'ALERTS.UNKNOWN_RULE': (e) => ({ status: 404, body: { error: 'not_found', ...message(e) } }),
  'NEWS.UNKNOWN_SOURCE': (e) => ({ status: 404, body: { error: 'not_found', ...message(e) } }),
  'NEWS.SOURCE_EXISTS': (e) => ({ status: 409, body: { error: 'source_exists', ...message(e) } }),
  'NEGOTIATION.UNKNOWN': (e) => ({ status: 404, body: { error: 'not_found', ...message(e) } }),
  'NEGOTIATION.UNKNOWN_VERSION': (e) => ({ status: 404, body: { error: 'not_found', ...message(e) } }),
  // Only after many re-checks lost to other writers: a retry will do.
  'EVENT_STORE.STALE': (e) => ({ status: 503, body: { error: 'contention', ...message(e) }, headers: { 'Retry-After': '1' } }),
  'PROJECTIONS.LAGGING': (e) => ({ status: 503, body: { error: 'projection_lagging', ...message(e) }, headers: { 'Retry-After': '1' } }),
  'EVENT_STORE.OUTCOME_UNKNOWN': (e) => ({
    status: 503,
    body: {
      error: 'outcome_unknown',
      message:
        `${(e as AppendOutcomeUnknown).message}. ` +
        'Retry the same request with the same event ids (retries are idempotent); events sent without an id get a new one on each try.',
    },
    headers: { 'Retry-After': '1' },
  }),
};
