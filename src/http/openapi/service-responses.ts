import { z } from 'zod';
import { ruleDefinitionSchema } from '../../alerting/alert-rules';
import * as n from './negotiation-responses';
import { eventSchema } from './negotiation-responses';

/** Answers of alerting, news, admin, feed and health routes (see negotiation-responses.ts). */
const instant = z.string().describe('ISO 8601 instant, UTC');

export const ruleCreatedSchema = z.object({ id: z.uuid(), secret: z.string().optional().describe('generated webhook secret, answered this once') });

export const rulesAnswerSchema = z.object({
  rules: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      rule: ruleDefinitionSchema,
      webhook: z.object({ url: z.string(), stored: z.boolean() }).nullable(),
      alertmanager: z.object({ url: z.string() }).nullable(),
    }),
  ),
});

export const alertsAnswerSchema = z.object({ alerts: z.array(eventSchema) });

export const replayAnswerSchema = z.object({
  by: z.enum(['recorded', 'valid']),
  firings: z.array(
    z.object({
      type: z.string(),
      at: instant,
      knownAt: instant,
      summary: z.string(),
      before: z.unknown(),
      after: z.unknown(),
      triggeringEvent: z.object({ id: z.uuid(), globalPosition: z.number().int(), type: z.string() }),
      from: instant.optional(),
      key: z.string().optional(),
    }),
  ),
});

export const deliveriesAnswerSchema = z.object({
  deliveries: z.array(
    z.object({
      id: z.uuid(),
      rule: z.uuid(),
      url: z.string(),
      status: z.enum(['pending', 'delivered', 'dead']),
      attempts: z.number().int(),
      nextAttemptAt: instant.nullable(),
      lastError: z.string().nullable(),
      createdAt: instant,
      deliveredAt: instant.nullable(),
    }),
  ),
});

export const sourceSchema = z.object({
  id: z.string(),
  url: z.string(),
  pollInterval: z.string(),
  negotiations: z.array(z.string()),
  lastFetchedAt: instant.nullable(),
  lastError: z.string().nullable(),
  lastNotice: z.string().nullable().describe('What the last poll trimmed, set aside, refused or held back over the source bounds; null when nothing'),
  items: z.number().int(),
});
export const sourceCreatedSchema = sourceSchema.pick({ id: true, url: true, pollInterval: true, negotiations: true });
export const sourcesAnswerSchema = z.object({ sources: z.array(sourceSchema) });

export const newsAnswerSchema = z.object({
  items: z.array(z.object({ id: z.uuid(), matched: z.boolean(), matchedTerms: z.array(z.string()) })),
  appended: z.number().int(),
});
export const watchAnswerSchema = z.object({
  terms: z.array(z.string()).describe('matched case-insensitively, as whole words'),
  caseSensitive: z.array(z.string()).describe('matched only as written (acronyms: "US" is not "us")'),
  exclude: z.array(z.string()).describe('an item holding any of these is not matched'),
  default: z.boolean().optional(),
});
export const inboxAnswerSchema = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      url: z.string().nullable(),
      publisher: z.string().nullable(),
      publishedAt: instant.nullable(),
      summary: z.string().nullable(),
      source: z.string().nullable(),
      receivedAt: instant,
      matchedTerms: z.array(z.string()),
      status: z.enum(['new', 'coded', 'dismissed']),
      events: z.array(z.uuid()),
      dismissedFor: z.string().nullable(),
    }),
  ),
  next: z.string().nullable().describe('Pass as `after` for the next page; null on the last'),
});

export const restoreAnswerSchema = z.object({ events: z.number().int(), warnings: z.array(z.string()) });
export const rebuildAnswerSchema = z.object({ events: z.number().int(), position: z.number().int(), ms: z.number() });
export const feedTokenSchema = z.object({ token: z.string(), expiresAt: instant });

const component = z.object({ status: z.string() }).catchall(z.unknown());
export const healthSchema = z.object({
  status: z.enum(['ok', 'error', 'shutting_down']),
  info: z.record(z.string(), component).optional(),
  error: z.record(z.string(), component).optional(),
  details: z.record(z.string(), component),
  leader: z.boolean().optional(),
});

export const livezSchema = z.object({ status: z.literal('ok') });
const serverRoleSchema = z.object({
  writable: z.boolean(),
  host: z.string().nullable().describe("The database server's own address (behind HAProxy, the node it routed to); null embedded"),
  port: z.number().int().nullable(),
  timeline: z.number().int().nullable().describe("The primary's WAL timeline: one more after every promotion"),
});
export const readyzSchema = z.object({
  status: z.enum(['ready', 'draining', 'read_only', 'database_unavailable']),
  message: z.string().optional(),
  database: serverRoleSchema.optional(),
});

/** Every error answer: `error` a stable code; `issues` name the field and the reason. */
/** Every `error` Parley answers with (docs/api.md "Errors"): the typed client's error codes. */
export const ERROR_CODES = [
  'invalid_request', 'rule_violation', 'version_conflict', 'id_conflict', 'not_found', 'unauthorized', 'forbidden',
  'unsupported_media_type', 'payload_too_large', 'too_many_requests', 'rebuild_running', 'restore_refused',
  'projection_lagging', 'log_rewound', 'database_unavailable', 'outcome_unknown', 'contention', 'proposal_decided',
  'source_exists', 'scenario_exists', 'scenario_closed', 'internal_error', 'http_error',
] as const;

export const errorSchema = z.object({
  error: z.enum(ERROR_CODES),
  message: z.string().optional(),
  issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string(), code: z.string().optional(), line: z.number().int().optional() })).optional(),
  expected: z.unknown().optional(),
  actual: z.unknown().optional(),
  id: z.string().optional(),
  requestId: z.string().optional().describe("The request's X-Request-Id (the caller's, or one made here): quote it, and find its log lines"),
});

/** GET /negotiations/{nid}/dashboard: each part as its own route answers it, read at one position. */
export const dashboardAnswerSchema = z.object({
  at: n.stancesAnswerSchema.shape.at,
  knownAt: n.stancesAnswerSchema.shape.knownAt,
  position: z.number().int().describe('The log position every part was read at (or after)'),
  version: z.number().int().describe("the record's version every part was read at (with `version=n`, n)"),
  published: z.boolean().describe('with `published=true`: every part as public on the chosen day (publicAt = at, corrections once public, the series as published day by day)'),
  scenario: z.string().optional().describe('with `scenario=`: the branch every part but alerts and the inbox was read with'),
  difference: n.scenarioDiffSchema.shape.difference.optional().describe('with `scenario=`: what the branch changes beside the record'),
  stances: n.stancesAnswerSchema.shape.stances,
  weekBefore: z
    .object({ at: n.stancesAnswerSchema.shape.at, stances: n.stancesAnswerSchema.shape.stances })
    .describe('The stances seven days before `at`: what the matrix marks "new since" against'),
  zones: n.zonesAnswerSchema.shape.zones,
  outcomes: n.outcomesAnswerSchema.shape.outcomes,
  alerts: alertsAnswerSchema.shape.alerts,
  gaps: n.gapsAnswerSchema.shape.pairs.element.nullable().describe('The pair of `between`, null without one'),
  series: n.seriesAnswerSchema.shape.points.nullable().describe('Daily points from `from` to `to` for the pair, null without them'),
  concessions: z.array(n.concessionsAnswerSchema).length(2).nullable().describe('a toward b, then b toward a, from the first day both compare; null before that'),
  inbox: inboxAnswerSchema.shape.items,
});

/** Review (contract v4): a writer's append while review is required, and the queue. */
export const proposedSchema = z.object({ proposal: z.uuid().describe('The proposal the append became; nothing entered the record') });
export const reviewRequirementAnswerSchema = z.object({ required: z.boolean(), doubleCoding: z.number() });
export const proposalSchema = z.object({
  id: z.uuid(),
  status: z.enum(['open', 'accepted', 'rejected']),
  codedBy: z.string().nullable(),
  submittedAt: z.string(),
  events: z.array(z.record(z.string(), z.unknown())).describe('The events as proposed (the request\'s wire form)'),
  reviewedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  edited: z.boolean().describe('Accepted with the reviewer\'s edit instead of the proposed events'),
  accepted: z.array(z.uuid()).describe('The ids of the events that entered the record'),
  doubleCoded: z.boolean().describe('It cites a news item sampled for double coding'),
});
export const proposalsAnswerSchema = z.object({
  required: z.boolean(),
  doubleCoding: z.number().describe('The share of news items sampled for blind double coding'),
  proposals: z.array(proposalSchema),
  hidden: z.number().int().describe("Other coders' open proposals on sampled items this coder has not coded yet (blind)"),
});
export const acceptAnswerSchema = n.appendAnswerSchema.extend({ proposal: z.uuid() });
export const rejectAnswerSchema = z.object({ proposal: z.uuid(), status: z.literal('rejected') });

const alphaFigure = z.object({
  estimate: z.number().nullable().describe("Krippendorff's α; null when nothing is pairable or every value is the same"),
  low: z.number().nullable().describe('Bootstrap 95 % interval (units resampled, 1,000 draws, seeded)'),
  high: z.number().nullable(),
  pairable: z.number().int().describe('Values in units coded by two or more'),
});
export const agreementAnswerSchema = z.object({
  units: z.number().int().describe('News items coded by two or more people'),
  pairable: z.number().int(),
  coders: z.array(z.string()),
  alpha: z.object({
    value: alphaFigure.describe('Interval metric on values mapped to 0–100 on each issue\'s scale; a unit is (item, party, issue)'),
    basis: alphaFigure.describe('Nominal metric on basis (quoted, paraphrased, inferred)'),
    assignment: alphaFigure.describe('Nominal metric on the (party, issue) pairs each coder coded an item to'),
  }),
  percentAgreement: z.number().nullable().describe('Share of pairable (item, party, issue) units on which every coder gave the same value, in %'),
  by: z.enum(['issue', 'pair']).nullable(),
  groups: z.array(z.object({ group: z.string(), value: alphaFigure, percentAgreement: z.number().nullable() })),
  disagreements: z.array(z.object({ item: z.string(), party: z.string(), issue: z.string(), codings: z.array(z.object({ coder: z.string(), value: z.number(), basis: z.string().nullable() })) })),
});

/** GET /negotiations/{nid}/provenance */
export const provenanceAnswerSchema = z.object({
  at: z.string(),
  knownAt: z.string(),
  publicAt: z.string().nullable(),
  ...n.versionEcho,
  party: z.string(),
  issue: z.string(),
  stance: n.stancesAnswerSchema.shape.stances.element.nullable().describe('The cell as /stances answers it; null when the party holds no stance on the issue'),
  event: eventSchema.nullable().describe('The event that set it, with codedBy and reviewedBy'),
  amendments: z.array(eventSchema).describe('Its corrections and retractions known at knownAt'),
  proposal: proposalSchema.omit({ events: true, doubleCoded: true }).nullable().describe('The proposal it entered the record through'),
  codings: z.array(z.object({ proposal: z.uuid(), codedBy: z.string().nullable(), status: z.string(), events: z.array(z.record(z.string(), z.unknown())) })).describe("Every coder's proposal on the same news item"),
  newsItem: z.object({ id: z.string(), title: z.string(), url: z.string().nullable(), publisher: z.string().nullable(), publishedAt: z.string().nullable() }).nullable(),
});
