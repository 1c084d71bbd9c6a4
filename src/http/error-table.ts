import type { AppendOutcomeUnknown, IdConflict, InvalidEventData, StaleAppend, UnknownEventType, VersionConflict } from '../event-store/errors';
import type { RestoreRefused } from '../event-store/backup';
import type { RuleViolation, ScenarioClosed, ScenarioExists, UnknownNegotiation } from '../negotiation/domain/errors';
import type { UnknownScenario, UnknownVersion } from '../negotiation/reading/errors';
import type { PositionBeyondLog, ProjectionLagging, RebuildRunning } from '../projection-runner/errors';
import type { UnknownRule } from '../alerting/alert-rules.commands';
import type { SourceExists, UnknownSource } from '../news/news.commands';
import type { ProposalDecided, UnknownProposal } from '../review/review.commands';
import type { DomainError, ErrorCode, InvalidRequest } from '../shared/domain-error';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Codes that reach a client; an outbound refusal is Parley's own call failing, logged, never answered. */
export type AnsweredCode = Exclude<ErrorCode, 'OUTBOUND.REFUSED'>;

/** The error class behind each answered code: a code without one fails `tsc` here. */
type ErrorsByCode = Complete<{
  'REQUEST.INVALID': InvalidRequest;
  'EVENT_STORE.INVALID_EVENT_DATA': InvalidEventData;
  'EVENT_STORE.UNKNOWN_EVENT_TYPE': UnknownEventType;
  'NEGOTIATION.RULE_VIOLATION': RuleViolation;
  'EVENT_STORE.VERSION_CONFLICT': VersionConflict;
  'EVENT_STORE.ID_CONFLICT': IdConflict;
  'EVENT_STORE.RESTORE_REFUSED': RestoreRefused;
  'PROJECTIONS.REBUILD_RUNNING': RebuildRunning;
  'PROJECTIONS.BEYOND_LOG': PositionBeyondLog;
  'ALERTS.UNKNOWN_RULE': UnknownRule;
  'NEWS.UNKNOWN_SOURCE': UnknownSource;
  'REVIEW.UNKNOWN_PROPOSAL': UnknownProposal;
  'REVIEW.PROPOSAL_DECIDED': ProposalDecided;
  'SCENARIO.UNKNOWN': UnknownScenario;
  'SCENARIO.EXISTS': ScenarioExists;
  'SCENARIO.CLOSED': ScenarioClosed;
  'NEWS.SOURCE_EXISTS': SourceExists;
  'NEGOTIATION.UNKNOWN': UnknownNegotiation;
  'NEGOTIATION.UNKNOWN_VERSION': UnknownVersion;
  'EVENT_STORE.STALE': StaleAppend;
  'PROJECTIONS.LAGGING': ProjectionLagging;
  'EVENT_STORE.OUTCOME_UNKNOWN': AppendOutcomeUnknown;
}>;
type Complete<T extends { [C in AnsweredCode]: DomainError & { code: C } }> = T;

const message = (error: DomainError) => ({ message: error.message });

/**
 * Every domain error's HTTP answer, by its stable code: the one place a code becomes a status
 * and the contract's error body. Typed per code, so each answer reads its own error's fields,
 * and a code without an answer fails `tsc`.
 */
export const ERROR_TABLE: { [C in AnsweredCode]: (error: ErrorsByCode[C]) => Answer } = {
  'REQUEST.INVALID': (e) => ({ status: 400, body: { error: 'invalid_request', issues: e.issues } }),
  'EVENT_STORE.INVALID_EVENT_DATA': ({ index, issues }) => ({
    status: 400,
    body: { error: 'invalid_request', issues: issues.map((i) => ({ ...i, path: ['events', index, ...i.path] })) },
  }),
  'EVENT_STORE.UNKNOWN_EVENT_TYPE': (e) => ({ status: 400, body: { error: 'invalid_request', issues: [{ path: ['type'], message: e.message }] } }),
  'NEGOTIATION.RULE_VIOLATION': (e) => ({ status: 422, body: { error: 'rule_violation', issues: e.issues } }),
  'EVENT_STORE.VERSION_CONFLICT': ({ expected, actual }) => ({ status: 409, body: { error: 'version_conflict', expected, actual } }),
  'EVENT_STORE.ID_CONFLICT': (e) => ({ status: 409, body: { error: 'id_conflict', id: e.eventId, ...message(e) } }),
  'EVENT_STORE.RESTORE_REFUSED': (e) => ({ status: 409, body: { error: 'restore_refused', ...message(e) } }),
  'PROJECTIONS.REBUILD_RUNNING': (e) => ({ status: 409, body: { error: 'rebuild_running', ...message(e) }, headers: { 'Retry-After': '5' } }),
  'ALERTS.UNKNOWN_RULE': (e) => ({ status: 404, body: { error: 'not_found', ...message(e) } }),
  'NEWS.UNKNOWN_SOURCE': (e) => ({ status: 404, body: { error: 'not_found', ...message(e) } }),
  'REVIEW.UNKNOWN_PROPOSAL': (e) => ({ status: 404, body: { error: 'not_found', ...message(e) } }),
  'REVIEW.PROPOSAL_DECIDED': (e) => ({ status: 409, body: { error: 'proposal_decided', ...message(e), status: e.proposal.status, reviewedBy: e.proposal.reviewedBy } }),
  'SCENARIO.UNKNOWN': (e) => ({ status: 404, body: { error: 'not_found', ...message(e) } }),
  'SCENARIO.EXISTS': (e) => ({ status: 409, body: { error: 'scenario_exists', ...message(e) } }),
  'SCENARIO.CLOSED': (e) => ({ status: 409, body: { error: 'scenario_closed', ...message(e) } }),
  'NEWS.SOURCE_EXISTS': (e) => ({ status: 409, body: { error: 'source_exists', ...message(e) } }),
  'NEGOTIATION.UNKNOWN': (e) => ({ status: 404, body: { error: 'not_found', ...message(e) } }),
  'NEGOTIATION.UNKNOWN_VERSION': (e) => ({ status: 404, body: { error: 'not_found', ...message(e) } }),
  // Only after many re-checks lost to other writers: a retry will do.
  'EVENT_STORE.STALE': (e) => ({ status: 503, body: { error: 'contention', ...message(e) }, headers: { 'Retry-After': '1' } }),
  'PROJECTIONS.BEYOND_LOG': (e) => ({ status: 409, body: { error: 'log_rewound', ...message(e), position: e.position, head: e.head } }),
  'PROJECTIONS.LAGGING': (e) => ({ status: 503, body: { error: 'projection_lagging', ...message(e) }, headers: { 'Retry-After': '1' } }),
  'EVENT_STORE.OUTCOME_UNKNOWN': (e) => ({
    status: 503,
    body: {
      error: 'outcome_unknown',
      message:
        `${e.message}. ` +
        'Retry the same request with the same event ids (retries are idempotent); events sent without an id get a new one on each try.',
    },
    headers: { 'Retry-After': '1' },
  }),
};

/** The answer for a domain error, or undefined for one no client is answered with (a 500 then). */
export function answerFor(error: DomainError): Answer | undefined {
  if (error.code === 'OUTBOUND.REFUSED') return undefined;
  // The table's entry for this code takes this code's class: the code says which it is.
  return (ERROR_TABLE[error.code] as (e: DomainError) => Answer)(error);
}
