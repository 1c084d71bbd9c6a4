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

const imputedSaliences = z
  .object({ salience: z.number().int().describe('saliences not coded and counted as 0.5, the middle of the scale (two per shared issue at most)') })
  .describe('what the weights imputed (docs/metrics.md)');
const scenarioEcho = { scenario: z.string().optional().describe('present when the answer includes a scenario branch (`scenario=<name>`)'), };
export const versionEcho = {
  version: z.number().int().describe("the record's version the answer was read at: events 1..version of the negotiation's stream, as known at knownAt (cite it with knownAt: `version=…&knownAt=…` reproduces the answer)"),
};
/** What every as-of answer echoes of its question beside its times: publicAt (null: not asked), the version, the branch. */
const periodsEcho = {
  periods: z.enum(['start', 'end']).describe('how events known only to a day, week or month counted: from the start of their period (the contract\'s rule) or its end'),
};
const correctionsEcho = {
  corrections: z.enum(['known', 'public']).describe('with publicAt: corrections counted as known at knownAt (the contract\'s rule) or only once their own report was public'),
};
const readEcho = { publicAt: nullable(instant), ...versionEcho, ...periodsEcho, ...correctionsEcho, ...scenarioEcho };
const asOfEcho = { at: instant, knownAt: instant, ...readEcho };

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
const issueSchema = z.object({
  issue: issueRef,
  title: z.string(),
  scale: z.object({ min: z.number(), max: z.number(), labels: z.record(z.string(), z.string()) }),
  keywords: z.array(z.string()).describe('short words news about the issue uses: watched by default (docs/news.md)'),
  statusQuo: nullable(z.number()).describe('what holds without agreement: the Nash bargaining model\'s reference point'),
});
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
  parties: z.array(partySchema),
  issues: z.array(issueSchema),
  redLines: z.array(redLineSchema),
  span: nullable(z.object({ first: instant, last: instant })).describe('valid times of the first and last position-carrying event known'),
  ...readEcho,
});

export const versionAnswerSchema = z.object({ version: z.number().int(), sha256: z.string().regex(/^[0-9a-f]{64}$/), citation: z.string() });


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
      hypothetical: z.boolean().optional().describe("on a scenario branch only: whether it is one of the branch's hypothetical events"),
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
      issues: z.array(z.object({ issue: issueRef, gap: z.number(), a: z.number(), b: z.number(), range, weight: z.number().describe("the issue's weight in overall: the two saliences' mean (0.5 for one not coded)") })),
      overallRange: nullable(range),
      imputed: imputedSaliences,
    }),
  ),
});

export const seriesAnswerSchema = z.object({
  a: partyRef,
  b: partyRef,
  knownAt: instant,
  ...readEcho,
  vintage: z.enum(['final', 'published']).describe('published: each point as public on its own date (publicAt = the point)'),
  points: z.array(z.object({ at: instant, overall: nullable(z.number()), issues: z.record(z.string(), z.number()), ranges: z.record(z.string(), range), overallRange: nullable(range), imputed: imputedSaliences })),
});

export const panelAnswerSchema = z.object({
  knownAt: instant,
  ...readEcho,
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
      hypothetical: z.boolean().optional().describe("on a scenario branch only: whether it is one of the branch's hypothetical events"),
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
  model: z.enum(['compromise', 'weighted-median', 'nash']),
  outcomes: z.array(
    z.object({
      issue: issueRef,
      model: z.enum(['compromise', 'weighted-median', 'nash']),
      outcome: nullable(z.number()),
      coverage: z.object({ counted: z.array(partyRef), missing: z.array(partyRef) }),
      feasible: nullable(z.boolean()),
      breaks: z.array(partyRef),
      warnings: z
        .array(z.object({ party: nullable(partyRef), code: z.enum(['no_position', 'red_line_without_position', 'no_status_quo']), message: z.string() }))
        .describe('parties of the negotiation the outcome was computed without'),
      parties: z.array(
        z.object({
          party: partyRef,
          value: z.number(),
          weight: z.number(),
          imputed: z.array(z.enum(['capability', 'salience'])).describe("what was not coded and imputed for this party's weight"),
          distance: nullable(z.number()),
          gap: nullable(z.number()),
        }),
      ),
    }),
  ),
  imputation: z
    .object({ salience: z.number(), capability: z.number() })
    .describe('the values uncoded weights counted as: salience 0.5; capability the mean of the coded ones (1 when none is)'),
});

export const concessionsAnswerSchema = z.object({
  party: partyRef,
  toward: partyRef,
  from: instant,
  to: instant,
  knownAt: instant,
  ...readEcho,
  issues: z.array(z.object({ issue: issueRef, concession: z.number(), from: z.object({ a: z.number(), b: z.number() }), to: z.object({ a: z.number() }) })),
  mean: nullable(z.number()),
});

export const historyAnswerSchema = z.object({
  party: partyRef,
  knownAt: instant,
  ...readEcho,
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
      hypothetical: z.boolean().optional().describe("on a scenario branch only: whether it is one of the branch's hypothetical events"),
    }),
  ),
});

export const scenarioSchema = z.object({
  name: z.string(),
  status: z.enum(['open', 'closed']),
  base: z.number().int().describe('the global position of the last record event the branch sees'),
  until: nullable(instant).describe('forked at a date: the record\'s facts valid after this instant are not the branch\'s'),
  from: z.union([z.string(), z.number().int(), z.null()]).describe('the base as asked: a date or instant, or a global position; null: the record as it was'),
  description: nullable(z.string()),
  openedAt: instant,
  openedBy: nullable(z.string()),
  rebasedAt: nullable(instant),
  closedAt: nullable(instant),
  closedBy: nullable(z.string()),
  events: z.number().int().describe('hypothetical events in the branch'),
  version: z.number().int().describe("the branch stream's version (its bookkeeping events count): what expectedVersion is checked against"),
});

export const scenarioListSchema = z.object({ scenarios: z.array(scenarioSchema) });

const change = { record: nullable(z.number()), branch: nullable(z.number()), change: nullable(z.number()).describe('branch − record; null when either is missing') };
const side = z.object({
  stances: stancesAnswerSchema.shape.stances,
  pairs: gapsAnswerSchema.shape.pairs,
  zones: zonesAnswerSchema.shape.zones,
  outcomes: z.object({ compromise: outcomesAnswerSchema.shape.outcomes, 'weighted-median': outcomesAnswerSchema.shape.outcomes }),
});

export const scenarioDiffSchema = z.object({
  scenario: z.string(),
  base: z.number().int(),
  until: nullable(instant),
  at: instant,
  knownAt: instant,
  publicAt: nullable(instant),
  ...versionEcho,
  parties: z.array(partyRef),
  record: side,
  branch: side,
  difference: z.object({
    stances: z.array(z.object({ party: partyRef, issue: issueRef, hypothetical: z.boolean(), ...change })),
    pairs: z.array(z.object({ a: partyRef, b: partyRef, overall: z.object(change), issues: z.array(z.object({ issue: issueRef, ...change })) })),
    outcomes: z.array(z.object({ issue: issueRef, model: z.enum(['compromise', 'weighted-median']), ...change })),
  }),
});

const recordedOutcomeSchema = z.object({
  issue: issueRef,
  value: nullable(z.number()).describe('on the issue\'s scale; null: no agreement on the issue'),
  summary: nullable(z.string()),
  document: nullable(z.string()),
  eventId: z.uuid(),
  occurredAt: instant,
  recordedAt: instant,
  correctedAt: nullable(instant),
  source: nullable(source),
});

export const recordedOutcomesAnswerSchema = z.object({ knownAt: instant, ...readEcho, outcomes: z.array(recordedOutcomeSchema) });

const backtestModel = z.enum(['compromise', 'weighted-median', 'baseline']);
const mae = nullable(z.number());

export const backtestAnswerSchema = z.object({
  model: backtestModel,
  by: z.enum(['recorded', 'public']),
  knownAt: instant,
  ...versionEcho,
  baseline: z.string().describe('how the baseline predicts'),
  outcomes: z.array(recordedOutcomeSchema),
  points: z.array(
    z.object({
      at: instant,
      issues: z.array(
        z.object({
          issue: issueRef,
          prediction: nullable(z.number()),
          outcome: nullable(z.number()),
          error: nullable(z.number()).describe('|prediction − outcome| on the 0–100 scale'),
          basis: z.enum(['proposal', 'midpoint']).optional().describe('the baseline\'s only'),
        }),
      ),
      mean: mae,
      scored: z.number().int(),
    }),
  ),
  summary: z.object({
    meanAbsoluteError: mae,
    final: mae,
    byIssue: z.array(z.object({ issue: issueRef, meanAbsoluteError: mae, first: mae, last: mae, points: z.number().int() })),
    cells: z.number().int(),
  }),
  comparison: z.object({
    models: z.array(z.object({ model: backtestModel, meanAbsoluteError: mae, final: mae })),
    best: nullable(backtestModel),
    margin: nullable(z.number()).describe('the runner-up\'s mean absolute error minus the best\'s'),
  }),
});

export const evidenceAnswerSchema = z.object({
  ...asOfEcho,
  window: z.string().describe('how far before `at` a statement still counts (ISO 8601 duration)'),
  cells: z.array(
    z.object({
      party: partyRef,
      issue: issueRef,
      latest: z.number().describe("the contract's stance: the latest statement's value"),
      value: z.number().describe('the evidence-weighted mean of the statements in the window'),
      spread: z.object({ sd: z.number(), low: z.number(), high: z.number() }),
      sources: z.array(
        z.object({
          eventId: z.uuid(),
          value: z.number(),
          occurredAt: instant,
          basis: nullable(z.string()),
          confidence: nullable(z.number()),
          uncertainty: nullable(range),
          weight: z.number().describe('basis weight × confidence × precision (docs/metrics.md)'),
          source: nullable(source),
        }),
      ),
    }),
  ),
});
