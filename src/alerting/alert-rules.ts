import { Duration } from 'luxon';
import { z } from 'zod';
import type { EventDefinition } from '../event-store/event-registry';
import { slugSchema } from '../negotiation/domain/events';

const duration = z.string().refine((v) => {
  const d = Duration.fromISO(v);
  return d.isValid && d.toMillis() > 0;
}, 'Expected a positive ISO 8601 duration, e.g. P7D');

/** The kinds of alert rule and what each needs. */
export const ruleDefinitionSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('gap_threshold'),
      a: slugSchema,
      b: slugSchema,
      issue: slugSchema.optional(),
      threshold: z.number().min(0).max(100),
      direction: z.enum(['up', 'down', 'both']).default('both'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('gap_change'),
      a: slugSchema,
      b: slugSchema,
      issue: slugSchema.optional(),
      delta: z.number().positive().max(100),
      window: duration,
      direction: z.enum(['converge', 'diverge', 'both']).default('both'),
    })
    .strict(),
  z.object({ kind: z.literal('position_shift'), party: slugSchema, issue: slugSchema, delta: z.number().positive() }).strict(),
  z
    .object({
      kind: z.literal('news'),
      /** Whole-word, case-insensitive; default: the negotiation's watch terms. */
      terms: z.array(z.string().trim().min(1).max(200)).min(1).max(100).optional(),
      /** Only items that also name this party (its name or an alias) / this issue (its title). */
      party: slugSchema.optional(),
      issue: slugSchema.optional(),
    })
    .strict(),
  /** A recorded outcome (agreement, or none) on any issue, or on this one; its corrections and retractions too. */
  z.object({ kind: z.literal('outcome'), issue: slugSchema.optional() }).strict(),
  // Two shapes share kind red_line; zod 4 nests a union on `mode` inside the one on `kind`.
  z.discriminatedUnion('mode', [
    z
      .object({
        kind: z.literal('red_line'),
        mode: z.literal('stance'),
        /** Whose red line. */
        party: slugSchema,
        issue: slugSchema,
        /** Whose stance is watched; default every other party. */
        of: slugSchema.optional(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('red_line'),
        mode: z.literal('zone'),
        parties: z.tuple([slugSchema, slugSchema]),
        issue: slugSchema,
      })
      .strict(),
  ]),
]);

export type RuleDefinition = z.infer<typeof ruleDefinitionSchema>;

export const webhookSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }).max(2000),
    /** Signs deliveries (HMAC-SHA256); generated when absent and answered once. Never stored in events. */
    secret: z.string().min(16).max(200).optional(),
  })
  .strict();

export const alertmanagerSchema = z
  .object({
    /** Alertmanager's base URL; alerts go to `<url>/api/v2/alerts`. Kept in the rule's events, so no credentials. */
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .refine((u) => !new URL(u).username && !new URL(u).password, 'An Alertmanager URL may not carry credentials (they would be stored in history)'),
  })
  .strict();

export const createRuleSchema = z
  .object({
    id: z.uuid().optional(),
    name: z.string().min(1).max(200),
    rule: ruleDefinitionSchema,
    webhook: webhookSchema.optional(),
    alertmanager: alertmanagerSchema.optional(),
  })
  .strict();

export const changeRuleSchema = createRuleSchema
  .omit({ id: true })
  .partial()
  .extend({ webhook: webhookSchema.nullable().optional(), alertmanager: alertmanagerSchema.nullable().optional() });

const firingSchema = z.object({
  rule: z.uuid(),
  name: z.string(),
  kind: z.string(),
  triggeringEvent: z.object({ id: z.uuid(), globalPosition: z.number().int(), type: z.string() }),
  at: z.string(),
  knownAt: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  summary: z.string(),
  /** Level rules only: which condition opened (`""`, or the party for red lines); it stays open until resolved. */
  key: z.string().optional(),
});

const ruleSchema = z.object({
  rule: z.uuid(),
  name: z.string(),
  definition: ruleDefinitionSchema,
  webhookUrl: z.string().nullable(),
  alertmanagerUrl: z.string().nullable().optional(),
});

/** Events of `<nid>.rules` and `<nid>.alerts`: rules and firings are history too. */
export const alertEventSchemas = {
  AlertRuleCreated: ruleSchema,
  AlertRuleChanged: ruleSchema,
  AlertRuleRemoved: z.object({ rule: z.uuid() }),
  AlertFired: firingSchema,
  /** A back-dated event changed a past value: said once, instead of re-firing old alerts. */
  AlertRestated: firingSchema.extend({ from: z.string() }),
  /** A level rule's condition cleared: closes the firing `firing`. */
  AlertResolved: firingSchema.extend({ key: z.string(), firing: z.uuid() }),
};

export const alertEventDefinitions: EventDefinition[] = Object.entries(alertEventSchemas).map(([type, schema]) => ({ type, schema }));
