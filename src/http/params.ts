import { z } from 'zod';
import { ruleDefinitionSchema } from '../alerting/alert-rules';
import { slugSchema } from '../negotiation/domain/events';
import { expectedVersionSchema } from '../negotiation/domain/requests';
import { instantOrDateSchema } from '../negotiation/domain/time';
import { asOfParams, knownAtParams, partyListSchema, recordedParams } from '../negotiation/reading/as-of-params';
import { newsItemInputSchema } from '../news/news-events';

/**
 * Query and body schemas of the HTTP edge that no context owns: each controller parses with
 * them, and the OpenAPI document (openapi/operations.ts) publishes them.
 */

export const recordedOutcomesParams = knownAtParams.extend({ version: asOfParams.shape.version });

export const negotiationParams = knownAtParams.extend({ version: asOfParams.shape.version, scenario: asOfParams.shape.scenario });

export const replaySchema = z
  .object({
    rule: ruleDefinitionSchema,
    by: z.enum(['recorded', 'valid']).default('recorded'),
    from: instantOrDateSchema.optional(),
  })
  .strict();

export const alertsParams = z.object({ from: instantOrDateSchema.optional(), to: instantOrDateSchema.optional() });
export const deliveriesParams = z.object({ status: z.enum(['pending', 'delivered', 'dead']).optional() });

export const concessionParams = recordedParams.extend({
  party: slugSchema,
  toward: slugSchema,
  from: instantOrDateSchema,
  to: instantOrDateSchema,
});

export const historyParams = recordedParams.extend({ issue: slugSchema.optional() });

export const feedParams = z.object({
  after: z.coerce.number().int().min(0).optional(),
  negotiation: slugSchema.optional(),
  types: z
    .string()
    .transform((v) => v.split(',').map((t) => t.trim()).filter(Boolean))
    .optional(),
  token: z.string().optional(),
  /** A scenario branch of `negotiation` whose hypothetical events come too (never without asking). */
  scenario: slugSchema.optional(),
}).refine((p) => p.scenario === undefined || p.negotiation !== undefined, { path: ['scenario'], message: 'A scenario is a negotiation\'s: give negotiation too' });

export const importParams = z.object({
  expectedVersion: z
    .string()
    .optional()
    .transform((v) => (v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) : v))
    .pipe(expectedVersionSchema.optional()),
});

export const newsSchema = z.object({ items: z.array(newsItemInputSchema).min(1).max(1000) }).strict();
/** The inbox is paged like the log: `limit` items after the cursor `after` (an answer's `next`). */
export const inboxParams = z.object({
  status: z.enum(['new', 'coded', 'dismissed']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: z.string().max(200).optional(),
});

/**
 * The dashboard's one request per refresh: the as-of instant, the pair it compares (optional),
 * and the span of its gap chart (daily points from `from` to `to`, with a pair).
 */
export const dashboardParams = z
  .object({
    at: instantOrDateSchema.optional(),
    knownAt: instantOrDateSchema.optional(),
    between: partyListSchema.refine((p) => p.length === 2, 'The dashboard compares one pair: between=a,b').optional(),
    from: instantOrDateSchema.optional(),
    to: instantOrDateSchema.optional(),
    /** A scenario branch: every panel of the record read with it, and the diff beside the record. */
    scenario: slugSchema.optional(),
    /**
     * `true`: only what was public on the chosen day (publicAt = at, corrections once public;
     * the series as published day by day), what an observer could have seen then.
     */
    published: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
    /** A cited version: every part of the record read at events 1..version (not with a scenario). */
    version: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  })
  .refine((p) => (p.from === undefined) === (p.to === undefined), { path: ['to'], message: 'Give the chart\'s span as both from and to, or neither' });
