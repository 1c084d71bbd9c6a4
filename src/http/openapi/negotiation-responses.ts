import { z } from 'zod';
import { datePrecisionSchema, sourceSchema } from '../../negotiation/domain/events';

/**
 * The bodies Parley answers with, as zod schemas: what /docs/openapi.json publishes, and what
 * tests/e2e/openapi.e2e-spec.ts holds real answers to (so the document cannot drift).
 */
const instant = z.string().describe('ISO 8601 instant, UTC');
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();
const range = z.object({ low: z.number(), high: z.number() });
const source = sourceSchema;
const issueRef = z.string().describe('issue slug');
const partyRef = z.string().describe('party slug');

export const eventSchema = z.object({
  id: z.uuid(),
  negotiation: z.string().describe('the stream: `<nid>`, `<nid>.rules`, `<nid>.alerts`, `<nid>.news` or `sources:<id>`'),
  type: z.string(),
  occurredAt: instant,
  datePrecision: datePrecisionSchema,
  recordedAt: instant,
  data: z.record(z.string(), z.unknown()),
  source: nullable(source),
  globalPosition: z.number().int(),
  streamVersion: z.number().int(),
  codedBy: nullable(z.string()).describe("Who coded it: the holder of the key that wrote it (`role:name:key`) or the CLI's `--as`; null when unnamed"),
  reviewedBy: nullable(z.string()).describe('Who accepted it in review; null when it did not go through review'),
});

export const eventsPageSchema = z.object({
  events: z.array(eventSchema),
  next: nullable(z.number().int()),
  previous: nullable(z.number().int()).optional().describe('with `before`: the `before` of the older page, or null at the start'),
});

export const appendAnswerSchema = z.object({
  streamVersion: z.number().int(),
  events: z.array(z.object({ id: z.uuid(), globalPosition: z.number().int(), streamVersion: z.number().int() })),
  appended: z.number().int(),
  skipped: z.number().int(),
});

export const negotiationListSchema = z.object({ negotiations: z.array(z.object({ id: z.string(), title: nullable(z.string()), version: z.number().int() })) });

const partySchema = z.object({ party: partyRef, name: z.string(), aliases: z.array(z.string()), capability: nullable(z.number()) });
const issueSchema = z.object({ issue: issueRef, title: z.string(), scale: z.object({ min: z.number(), max: z.number(), labels: z.record(z.string(), z.string()) }) });
const redLineSchema = z.object({
  party: partyRef,
  issue: issueRef,
  min: nullable(z.number()),
  max: nullable(z.number()),
  since: instant,
  eventId: z.uuid(),
  summary: nullable(z.string()),
  source: nullable(source),
});

export const negotiationSchema = z.object({
  id: z.string(),
  title: nullable(z.string()),
  description: nullable(z.string()),
  knownAt: instant,
  version: z.number().int(),
  parties: z.array(partySchema),
  issues: z.array(issueSchema),
  redLines: z.array(redLineSchema),
  span: nullable(z.object({ first: instant, last: instant })).describe('valid times of the first and last position-carrying event known'),
});

export const versionAnswerSchema = z.object({ version: z.number().int(), sha256: z.string().regex(/^[0-9a-f]{64}$/), citation: z.string() });

const asOfEcho = { at: instant, knownAt: instant, publicAt: nullable(instant) };

export const stancesAnswerSchema = z.object({
  ...asOfEcho,
  stances: z.array(
    z.object({
      party: partyRef,
      issue: issueRef,
      value: z.number(),
      salience: nullable(z.number()),
      since: instant,
      sincePrecision: datePrecisionSchema,
      eventId: z.uuid(),
      summary: nullable(z.string()),
      source: nullable(source),
      confidence: nullable(z.number()),
      quote: nullable(z.string()),
      uncertainty: nullable(range),
      basis: nullable(z.enum(['quoted', 'paraphrased', 'inferred'])),
    }),
  ),
});

export const gapsAnswerSchema = z.object({
  ...asOfEcho,
  pairs: z.array(
    z.object({
      a: partyRef,
      b: partyRef,
      overall: nullable(z.number()),
      coverage: nullable(z.number()),
      issues: z.array(z.object({ issue: issueRef, gap: z.number(), a: z.number(), b: z.number(), range })),
      overallRange: nullable(range),
    }),
  ),
});

export const seriesAnswerSchema = z.object({
  a: partyRef,
  b: partyRef,
  knownAt: instant,
  publicAt: nullable(instant),
  points: z.array(z.object({ at: instant, overall: nullable(z.number()), issues: z.record(z.string(), z.number()), ranges: z.record(z.string(), range), overallRange: nullable(range) })),
});

export const panelAnswerSchema = z.object({
  knownAt: instant,
  publicAt: nullable(instant),
  rows: z.array(
    z.object({
      at: instant,
      party: partyRef,
      issue: issueRef,
      value: z.number(),
      salience: nullable(z.number()),
      confidence: nullable(z.number()),
      uncertainty: nullable(range),
      basis: nullable(z.string()),
      since: instant,
      sincePrecision: datePrecisionSchema,
      eventId: z.uuid(),
      source: nullable(source),
      recordedAt: instant,
      scale: z.object({ min: z.number(), max: z.number() }),
      codedBy: nullable(z.string()).describe('Who coded the event that set the stance'),
      reviewedBy: nullable(z.string()).describe('Who accepted it in review'),
    }),
  ),
});

export const zonesAnswerSchema = z.object({
  ...asOfEcho,
  parties: z.array(partyRef),
  zones: z.array(
    z.object({
      issue: issueRef,
      z: z.number(),
      zone: nullable(z.object({ from: z.number(), to: z.number() })),
      shortfall: nullable(z.number()),
      determined: z.boolean(),
      assumed: z.array(partyRef),
      bounds: z.array(z.object({ party: partyRef, min: z.number(), max: z.number(), declared: z.boolean(), redLine: z.boolean() })),
      outside: z.array(z.object({ party: partyRef, value: z.number() })),
    }),
  ),
});

export const outcomesAnswerSchema = z.object({
  ...asOfEcho,
  model: z.enum(['compromise', 'weighted-median']),
  outcomes: z.array(
    z.object({
      issue: issueRef,
      model: z.enum(['compromise', 'weighted-median']),
      outcome: nullable(z.number()),
      coverage: z.object({ counted: z.array(partyRef), missing: z.array(partyRef) }),
      feasible: nullable(z.boolean()),
      breaks: z.array(partyRef),
      parties: z.array(z.object({ party: partyRef, value: z.number(), weight: z.number(), distance: nullable(z.number()), gap: nullable(z.number()) })),
    }),
  ),
});

export const concessionsAnswerSchema = z.object({
  party: partyRef,
  toward: partyRef,
  from: instant,
  to: instant,
  knownAt: instant,
  issues: z.array(z.object({ issue: issueRef, concession: z.number(), from: z.object({ a: z.number(), b: z.number() }), to: z.object({ a: z.number() }) })),
  mean: nullable(z.number()),
});

export const historyAnswerSchema = z.object({
  party: partyRef,
  knownAt: instant,
  changes: z.array(
    z.object({
      party: partyRef,
      issue: issueRef,
      kind: z.enum(['set', 'withdraw']),
      value: nullable(z.number()),
      salience: nullable(z.number()),
      summary: nullable(z.string()),
      eventId: z.uuid(),
      eventPosition: z.number().int(),
      occurredAt: instant,
      recordedAt: instant,
      source: nullable(source),
      uncertainty: nullable(range),
      confidence: nullable(z.number()),
      basis: nullable(z.string()),
      datePrecision: nullable(z.string()),
      codedBy: nullable(z.string()).describe('Who coded the event behind the change'),
      reviewedBy: nullable(z.string()).describe('Who accepted it in review'),
    }),
  ),
});
