import type { z } from 'zod';
import { changeRuleSchema, createRuleSchema } from '../../alerting/alert-rules';
import { appendRequestSchema } from '../../negotiation/domain/requests';
import { asOfParams, evidenceParams, gapsParams, outcomeParams, pageFormatParams, panelParams, seriesParams } from '../../negotiation/reading/as-of-params';
import { registerSourceSchema, watchTermsSchema } from '../../news/news-events';
import { acceptSchema, agreementParams, proposalsParams, provenanceParams, rejectSchema, reviewRequirementSchema } from '../../review/review-requests';
import * as params from '../params';
import { backtestParams } from '../../negotiation/outcomes/get-backtest.query';
import { diffParams, hypotheticalRequestSchema, openScenarioSchema, rebaseScenarioSchema } from '../../scenarios/scenario-requests';
import { scenarioListParams } from '../../scenarios/scenario-requests';
import * as n from './negotiation-responses';
import * as s from './service-responses';

export type Access = 'public' | 'reader' | 'writer' | 'admin' | 'metrics';

/** One route as the document describes it; what @nestjs/swagger finds is completed from this. */
export interface Operation {
  summary: string;
  description?: string;
  access: Access;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Status → the body's schema (JSON), or a media type and its description for other bodies. */
  responses: Record<number, z.ZodType | { type: string; description: string } | null>;
  /** Also answers CSV (format=csv or Accept: text/csv). */
  csv?: boolean;
  /** Other media types the 200 answer may take (asked for with `format=`), with what they hold. */
  also?: Record<string, string>;
  /** The route reads or writes one negotiation: 404 when it is unknown. */
  negotiation?: boolean;
}

const text = (type: string, description: string) => ({ type, description });

export const OPERATIONS: Record<string, Operation> = {
  'GET /negotiations': { summary: 'List negotiations', access: 'reader', responses: { 200: n.negotiationListSchema } },
  'GET /negotiations/{nid}': { summary: 'A negotiation: parties, issues, red lines, version', access: 'reader', query: params.negotiationParams, responses: { 200: n.negotiationSchema }, negotiation: true },
  'GET /negotiations/{nid}/versions/{n}': { summary: 'A citable version: SHA-256 of events 1..n', access: 'reader', responses: { 200: n.versionAnswerSchema }, negotiation: true },
  'GET /negotiations/{nid}/events': { summary: "A page of the negotiation's events", access: 'reader', query: pageFormatParams, responses: { 200: n.eventsPageSchema }, csv: true, negotiation: true },
  'POST /negotiations/{nid}/events': {
    summary: 'Append events (atomic, idempotent by id)',
    description: 'Checks in order: shape (400), size (413), content type (415), idempotency, expected version (409), rules (422). Nothing is written unless every check passes.',
    access: 'writer',
    body: appendRequestSchema,
    responses: { 201: n.appendAnswerSchema, 200: n.appendAnswerSchema, 202: s.proposedSchema, 409: s.errorSchema, 413: s.errorSchema, 415: s.errorSchema, 422: s.errorSchema },
  },
  'POST /negotiations/{nid}/events:import': {
    summary: 'Import NDJSON, one event per line, in one transaction',
    access: 'writer',
    query: params.importParams,
    responses: { 201: n.appendAnswerSchema, 200: n.appendAnswerSchema, 409: s.errorSchema, 413: s.errorSchema, 415: s.errorSchema, 422: s.errorSchema },
  },
  'GET /negotiations/{nid}/stances': { summary: "Each party's stance on each issue, as of (at, knownAt)", access: 'reader', query: asOfParams, responses: { 200: n.stancesAnswerSchema }, negotiation: true },
  'GET /negotiations/{nid}/gaps': { summary: 'Gap metrics between parties, as of (at, knownAt)', access: 'reader', query: gapsParams, responses: { 200: n.gapsAnswerSchema }, negotiation: true },
  'GET /negotiations/{nid}/gaps/series': { summary: 'The gap between two parties over time', access: 'reader', query: seriesParams, responses: { 200: n.seriesAnswerSchema }, csv: true, negotiation: true },
  'GET /negotiations/{nid}/panel': {
    summary: 'Party × issue × date panel (JSON, CSV or a Frictionless Data Package, streamed)',
    access: 'reader',
    query: panelParams,
    responses: { 200: n.panelAnswerSchema },
    csv: true,
    also: { 'application/zip': 'format=datapackage: a Tabular Data Package (datapackage.json with the version, hash, knownAt and publicAt it was read at; the balanced panel with NA; the codebook)' },
    negotiation: true,
  },
  'GET /negotiations/{nid}/dashboard': { summary: 'Everything one dashboard refresh shows, read at one position', access: 'reader', query: params.dashboardParams, responses: { 200: s.dashboardAnswerSchema }, negotiation: true },
  'GET /negotiations/{nid}/evidence': {
    summary: 'Each cell read from every statement in a window before at, weighted by basis, confidence and precision, with their spread (beside the contract\'s latest-wins stance)',
    access: 'reader',
    query: evidenceParams,
    responses: { 200: n.evidenceAnswerSchema },
    negotiation: true,
  },
  'GET /negotiations/{nid}/zones': { summary: 'Zones of possible agreement from red lines', access: 'reader', query: gapsParams, responses: { 200: n.zonesAnswerSchema }, negotiation: true },
  'GET /negotiations/{nid}/outcomes': { summary: 'Predicted outcomes (compromise or weighted-median model)', access: 'reader', query: outcomeParams, responses: { 200: n.outcomesAnswerSchema }, negotiation: true },
  'GET /negotiations/{nid}/concessions': { summary: 'How far a party moved toward another', access: 'reader', query: params.concessionParams, responses: { 200: n.concessionsAnswerSchema }, negotiation: true },
  'GET /negotiations/{nid}/parties/{party}/history': { summary: "Every change of a party's stances", access: 'reader', query: params.historyParams, responses: { 200: n.historyAnswerSchema }, negotiation: true },
  'GET /events': { summary: 'A page of the whole log, every stream, in global order', access: 'reader', query: pageFormatParams, responses: { 200: n.eventsPageSchema }, csv: true },
  'GET /admin/export': { summary: 'Export the log as NDJSON with a checksum trailer', access: 'admin', responses: { 200: text('application/x-ndjson', 'one event per line, then {"trailer": {"events", "sha256"}}') } },
  'POST /admin/restore': { summary: 'Restore an export into an empty database', access: 'admin', responses: { 200: s.restoreAnswerSchema, 409: s.errorSchema } },
  'POST /admin/rebuild': { summary: 'Rebuild every projection from the log, without stopping reads', access: 'admin', responses: { 200: s.rebuildAnswerSchema, 409: s.errorSchema } },
  'POST /negotiations/{nid}/alert-rules': { summary: 'Create an alert rule', access: 'writer', body: createRuleSchema, responses: { 201: s.ruleCreatedSchema, 422: s.errorSchema }, negotiation: true },
  'GET /negotiations/{nid}/alert-rules': { summary: 'The alert rules in force', access: 'reader', responses: { 200: s.rulesAnswerSchema }, negotiation: true },
  'PUT /negotiations/{nid}/alert-rules/{rule}': { summary: 'Replace an alert rule', access: 'writer', body: changeRuleSchema, responses: { 200: s.ruleCreatedSchema, 422: s.errorSchema }, negotiation: true },
  'DELETE /negotiations/{nid}/alert-rules/{rule}': { summary: 'Remove an alert rule', access: 'writer', responses: { 204: null }, negotiation: true },
  'POST /negotiations/{nid}/alert-rules:replay': { summary: "Try a rule on the negotiation's history (writes nothing)", access: 'reader', body: params.replaySchema, responses: { 200: s.replayAnswerSchema }, negotiation: true },
  'GET /negotiations/{nid}/alerts': { summary: 'Firings, restatements and resolutions', access: 'reader', query: params.alertsParams, responses: { 200: s.alertsAnswerSchema }, negotiation: true },
  'GET /negotiations/{nid}/alerts/deliveries': { summary: 'Webhook and Alertmanager deliveries, dead letters included', access: 'reader', query: params.deliveriesParams, responses: { 200: s.deliveriesAnswerSchema }, negotiation: true },
  'POST /sources': { summary: 'Register a news feed (RSS, Atom, JSON Feed)', access: 'admin', body: registerSourceSchema, responses: { 201: s.sourceCreatedSchema, 409: s.errorSchema, 422: s.errorSchema } },
  'GET /sources': { summary: 'Registered feeds and how polling goes', access: 'reader', responses: { 200: s.sourcesAnswerSchema } },
  'GET /sources/{id}': { summary: 'One feed and how polling goes', access: 'reader', responses: { 200: s.sourceSchema, 404: s.errorSchema } },
  'DELETE /sources/{id}': { summary: 'Stop polling a feed (its items stay)', access: 'admin', responses: { 204: null, 404: s.errorSchema } },
  'POST /negotiations/{nid}/news': { summary: 'Push news items (stored once each)', access: 'writer', body: params.newsSchema, responses: { 201: s.newsAnswerSchema }, negotiation: true },
  'PUT /negotiations/{nid}/watch': { summary: 'Set the watch terms items are matched against', access: 'writer', body: watchTermsSchema, responses: { 200: s.watchAnswerSchema }, negotiation: true },
  'GET /negotiations/{nid}/watch': { summary: 'The watch terms (own or default)', access: 'reader', responses: { 200: s.watchAnswerSchema }, negotiation: true },
  'GET /negotiations/{nid}/inbox': { summary: 'News items that concern the negotiation', access: 'reader', query: params.inboxParams, responses: { 200: s.inboxAnswerSchema }, negotiation: true },
  'GET /feed': {
    summary: 'Live feed of events and alerts (Server-Sent Events)',
    description: 'SSE `id` = global position, `event` = type, `data` = a CloudEvents 1.0 envelope. Resume with the `Last-Event-ID` header (wins) or `after`. Browsers pass `token` from POST /feed/tokens instead of a key.',
    access: 'reader',
    query: params.feedParams,
    responses: { 200: text('text/event-stream', 'SSE frames; a `close` frame before a shutdown') },
  },
  'POST /feed/tokens': { summary: 'A short-lived token for EventSource (browsers cannot send keys)', access: 'reader', responses: { 201: s.feedTokenSchema } },
  'GET /metrics': { summary: 'Prometheus metrics', access: 'metrics', responses: { 200: text('text/plain; version=0.0.4', 'Prometheus text exposition format') } },
  'GET /negotiations/{nid}/outcomes/recorded': {
    summary: 'What was agreed or decided on each issue (null: no agreement), as known at knownAt',
    access: 'reader',
    query: params.recordedOutcomesParams,
    responses: { 200: n.recordedOutcomesAnswerSchema },
    negotiation: true,
  },
  'GET /negotiations/{nid}/backtest': {
    summary: 'Outcome models scored without hindsight: each prediction as known at each date against the recorded outcomes',
    description: 'Absolute error on the 0–100 scale per issue and date, the mean per date, and the three models (compromise, weighted-median, baseline) compared over the same dates. `by=recorded` (default): what Parley held at the date; `by=public`: what had been published by then. docs/metrics.md.',
    access: 'reader',
    query: backtestParams,
    responses: { 200: n.backtestAnswerSchema },
    csv: true,
    negotiation: true,
  },
  'POST /negotiations/{nid}/scenarios': {
    summary: 'Open a scenario branch: the record up to its base, then hypothetical events of its own',
    description: '`from`: a date or instant forks the branch in valid time (the record as known now, up to that date); a global position bases it on the log as it was then; absent: the record as it is. 409 `scenario_exists` for a name the negotiation has, or had.',
    access: 'writer',
    body: openScenarioSchema,
    responses: { 201: n.scenarioSchema, 409: s.errorSchema },
    negotiation: true,
  },
  'GET /negotiations/{nid}/scenarios': { summary: "The negotiation's scenario branches, open and closed", access: 'reader', query: scenarioListParams, responses: { 200: n.scenarioListSchema }, negotiation: true },
  'GET /negotiations/{nid}/scenarios/{name}': { summary: 'One scenario branch: its base, status and size', access: 'reader', responses: { 200: n.scenarioSchema }, negotiation: true },
  'DELETE /negotiations/{nid}/scenarios/{name}': {
    summary: 'Close a branch: reads of it answer 404; its stream (and name) stay',
    access: 'writer',
    responses: { 200: n.scenarioSchema, 409: s.errorSchema },
    negotiation: true,
  },
  'POST /negotiations/{nid}/scenarios/{name}/events': {
    summary: "Append hypothetical events to a branch (the record's checks, on the record at the branch's base)",
    description: 'A branch holds positions, proposals, meetings, red lines, withdrawals, parties and issues, and corrections or retractions of its own events; valid times may lie in the future. Never in the record, its feed, alerts or exports.',
    access: 'writer',
    body: hypotheticalRequestSchema,
    responses: { 201: n.appendAnswerSchema, 200: n.appendAnswerSchema, 409: s.errorSchema, 413: s.errorSchema, 415: s.errorSchema, 422: s.errorSchema },
    negotiation: true,
  },
  'POST /negotiations/{nid}/scenarios/{name}/events:import': {
    summary: 'Import hypothetical events as NDJSON, one per line, into a branch',
    access: 'writer',
    query: params.importParams,
    responses: { 201: n.appendAnswerSchema, 200: n.appendAnswerSchema, 409: s.errorSchema, 413: s.errorSchema, 415: s.errorSchema, 422: s.errorSchema },
    negotiation: true,
  },
  'POST /negotiations/{nid}/scenarios/{name}/rebase': {
    summary: 'Move a branch onto a newer record (by default, the record as it is now)',
    description: "The branch's events are judged again, in order, on the new base: 422 naming each one that no longer fits (`hypothetical.<i>`).",
    access: 'writer',
    body: rebaseScenarioSchema,
    responses: { 200: n.scenarioSchema, 409: s.errorSchema, 422: s.errorSchema },
    negotiation: true,
  },
  'GET /negotiations/{nid}/scenarios/{name}/diff': {
    summary: 'A branch beside the record at one (at, knownAt): stances, gaps, zones and both models\' outcomes, and the differences',
    access: 'reader',
    query: diffParams,
    responses: { 200: n.scenarioDiffSchema },
    negotiation: true,
  },
  'PUT /negotiations/{nid}/review': {
    summary: 'Require review (or not): writers\' appends become proposals',
    access: 'admin',
    body: reviewRequirementSchema,
    responses: { 200: s.reviewRequirementAnswerSchema },
    negotiation: true,
  },
  'GET /negotiations/{nid}/proposals': { summary: 'The review queue: proposals by status', access: 'writer', query: proposalsParams, responses: { 200: s.proposalsAnswerSchema }, negotiation: true },
  'POST /negotiations/{nid}/proposals/{id}/accept': {
    summary: 'Accept a proposal (optionally edited) into the record',
    description: 'Appends the proposal\'s events (or `events`, the reviewer\'s edit) to the negotiation with every append check, recorded now, with `codedBy` the proposer and `reviewedBy` the reviewer. 409 when the proposal was decided already.',
    access: 'admin',
    body: acceptSchema,
    responses: { 201: s.acceptAnswerSchema, 200: s.acceptAnswerSchema, 404: s.errorSchema, 409: s.errorSchema, 422: s.errorSchema },
  },
  'GET /negotiations/{nid}/provenance': {
    summary: 'Where one stance cell comes from: the event, its coder and reviewer, corrections, the proposal, every coding of its news item, the item',
    access: 'reader',
    query: provenanceParams,
    responses: { 200: s.provenanceAnswerSchema },
    negotiation: true,
  },
  'GET /negotiations/{nid}/agreement': {
    summary: "Inter-coder agreement: Krippendorff's α on double-coded news items, with intervals and disagreements",
    access: 'reader',
    query: agreementParams,
    responses: { 200: s.agreementAnswerSchema },
    csv: true,
    negotiation: true,
  },
  'POST /negotiations/{nid}/proposals/{id}/reject': {
    summary: 'Reject a proposal with a reason (it stays in the review stream)',
    access: 'admin',
    body: rejectSchema,
    responses: { 200: s.rejectAnswerSchema, 404: s.errorSchema, 409: s.errorSchema },
  },
  'GET /health': { summary: 'Liveness and readiness (always open)', access: 'public', responses: { 200: s.healthSchema, 503: s.healthSchema } },
  'GET /livez': { summary: 'Liveness probe: the process answers (never the database)', access: 'public', responses: { 200: s.livezSchema } },
  'GET /readyz': {
    summary: 'Readiness probe: the database answers and takes writes, and the process is not draining',
    description: '503 with Retry-After from SIGTERM on (for PARLEY_SHUTDOWN_DELAY_MS before the server closes), while the database is away, and while it is a standby.',
    access: 'public',
    responses: { 200: s.readyzSchema, 503: s.readyzSchema },
  },
};
