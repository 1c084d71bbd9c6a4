import { z } from 'zod';
import type { EventDefinition } from '../../event-store/event-registry';
import { instantOrDateTextSchema, instantTextSchema } from './time';

export const slugSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Expected a slug: lowercase letters, digits and single hyphens');

const text = (max: number) => z.string().min(1).max(max);
const unit = z.number().min(0).max(1);
/**
 * Points on a scale. Bounded so that differences and ratios of any two stay finite and exact
 * enough (±1.7e308 made max − min infinite, and every gap null).
 */
export const SCALE_LIMIT = 1e15;
const value = z
  .number()
  .finite()
  .min(-SCALE_LIMIT, `Expected a number from -${SCALE_LIMIT} to ${SCALE_LIMIT}`)
  .max(SCALE_LIMIT, `Expected a number from -${SCALE_LIMIT} to ${SCALE_LIMIT}`);

export const sourceSchema = z
  .object({
    title: text(500).optional(),
    url: z.url({ protocol: /^https?$/ }).max(2000).optional(),
    publisher: text(200).optional(),
    publishedAt: instantOrDateTextSchema.optional(),
    /** The news item this was coded from; url, publisher and publishedAt are filled in from it. */
    itemId: z.uuid().optional(),
  })
  .strict();

/** A range on the issue's scale that contains the coded value: how sure the coder is. */
export const uncertaintySchema = z
  .object({ low: value, high: value })
  .strict()
  .refine((u) => u.low <= u.high, { message: 'uncertainty.low must not exceed uncertainty.high', path: ['high'] });

/** How the position is known: the party's words, a paraphrase, or the coder's inference. */
export const basisSchema = z.enum(['quoted', 'paraphrased', 'inferred']);

/** Uncertainty and basis, which every position may carry; the range must contain the value. */
const positionDetail = {
  uncertainty: uncertaintySchema.optional(),
  basis: basisSchema.optional(),
};
/**
 * A proposal's or meeting's position may carry the sponsor's salience too, as PositionStated
 * does (an addition to the contract: a text can say which issues matter most to its sponsors).
 */
const tabledDetail = { salience: unit.optional(), ...positionDetail };
const containsValue = (p: { value: number; uncertainty?: { low: number; high: number } | undefined }) =>
  !p.uncertainty || (p.uncertainty.low <= p.value && p.value <= p.uncertainty.high);
const CONTAINS_VALUE = { message: 'uncertainty must contain value (low ≤ value ≤ high)', path: ['uncertainty'] };

export const negotiationOpenedSchema = z
  .object({ title: text(200), description: text(5000).optional() })
  .strict();

export const partyAddedSchema = z
  .object({
    party: slugSchema,
    name: text(200),
    aliases: z.array(text(200)).max(20).optional(),
    capability: unit.optional(),
  })
  .strict();

export const issueDefinedSchema = z
  .object({
    issue: slugSchema,
    title: text(200),
    scale: z
      .object({
        min: value,
        max: value,
        labels: z.record(z.string().regex(/^-?\d+(\.\d+)?$/, 'Label keys are points on the scale'), text(200)).optional(),
      })
      .strict()
      .refine((s) => s.min < s.max, { message: 'scale.min must be below scale.max', path: ['max'] })
      .optional(),
    /**
     * Short words news about the issue uses ("NATO", "ceasefire"), watched by default beside the
     * title; one written in capitals (an acronym) matches only in capitals (an addition to the contract).
     */
    keywords: z.array(text(100)).max(50).optional(),
    /**
     * What holds on the issue without an agreement (a point on its scale): the reference point
     * of the Nash bargaining model (an addition to the contract).
     */
    statusQuo: value.optional(),
  })
  .strict();

export const positionStatedSchema = z
  .object({
    party: slugSchema,
    issue: slugSchema,
    value,
    salience: unit.optional(),
    summary: text(2000).optional(),
    quote: text(2000).optional(),
    confidence: unit.optional(),
    ...positionDetail,
  })
  .strict()
  .refine(containsValue, CONTAINS_VALUE);

const uniqueBy =
  <T>(key: (item: T) => string, what: string) =>
  (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const k = key(item);
      if (seen.has(k)) ctx.addIssue({ code: 'custom', message: `${what} ${k} is given twice`, path: [i] });
      seen.add(k);
    });
  };

export const proposalTabledSchema = z
  .object({
    proposal: slugSchema,
    title: text(200),
    sponsors: z.array(slugSchema).min(1).max(50).superRefine(uniqueBy((p) => p, 'Sponsor')),
    venue: text(200).optional(),
    positions: z
      .array(z.object({ issue: slugSchema, value, summary: text(2000).optional(), ...tabledDetail }).strict().refine(containsValue, CONTAINS_VALUE))
      .min(1)
      .max(200)
      .superRefine(uniqueBy((p) => p.issue, 'Issue')),
  })
  .strict();

export const meetingHeldSchema = z
  .object({
    participants: z.array(slugSchema).min(1).max(50).superRefine(uniqueBy((p) => p, 'Participant')),
    /**
     * Participants whose presence the source does not state: the coder's inference (an addition
     * to the contract). Each must be among `participants`.
     */
    inferred: z.array(slugSchema).max(50).superRefine(uniqueBy((p) => p, 'Inferred participant')).optional(),
    place: text(200).optional(),
    summary: text(5000).optional(),
    positions: z
      .array(z.object({ party: slugSchema, issue: slugSchema, value, summary: text(2000).optional(), ...tabledDetail }).strict().refine(containsValue, CONTAINS_VALUE))
      .max(500)
      .superRefine(uniqueBy((p) => `${p.party}/${p.issue}`, 'Party and issue'))
      .optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    (d.inferred ?? []).forEach((party, i) => {
      if (!d.participants.includes(party)) ctx.addIssue({ code: 'custom', message: `${party} is not among the participants`, path: ['inferred', i] });
    });
  });

export const positionWithdrawnSchema = z
  .object({ party: slugSchema, issue: slugSchema, summary: text(2000).optional() })
  .strict();

export const redLineDeclaredSchema = z
  .object({
    party: slugSchema,
    issue: slugSchema,
    acceptable: z
      .object({ min: value.optional(), max: value.optional() })
      .strict()
      .refine((a) => a.min !== undefined || a.max !== undefined, 'Give min, max or both')
      .refine((a) => a.min === undefined || a.max === undefined || a.min <= a.max, {
        message: 'acceptable.min must not exceed acceptable.max',
        path: ['max'],
      }),
    summary: text(2000).optional(),
  })
  .strict();

export const eventCorrectedSchema = z
  .object({
    target: z.uuid(),
    // Validated as the target's type by the rules, which know the target.
    data: z.record(z.string(), z.unknown()),
    occurredAt: instantTextSchema.optional(),
  })
  .strict();

export const eventRetractedSchema = z
  .object({ target: z.uuid(), reason: text(2000) })
  .strict();

/**
 * What was actually agreed or decided on an issue, on its scale; `value: null` records that
 * the talks ended without agreement on it. What backtests score the outcome models against.
 */
export const outcomeRecordedSchema = z
  .object({
    issue: slugSchema,
    value: value.nullable(),
    summary: text(2000).optional(),
    /** The agreement or decision it is written in (its title, or a reference). */
    document: text(500).optional(),
  })
  .strict();

/** An analyst takes a news item out of the negotiation's inbox (it informs no position). */
export const newsItemDismissedSchema = z
  .object({ item: z.uuid(), reason: text(2000) })
  .strict();

export const eventDataSchemas = {
  NegotiationOpened: negotiationOpenedSchema,
  PartyAdded: partyAddedSchema,
  IssueDefined: issueDefinedSchema,
  PositionStated: positionStatedSchema,
  ProposalTabled: proposalTabledSchema,
  MeetingHeld: meetingHeldSchema,
  PositionWithdrawn: positionWithdrawnSchema,
  RedLineDeclared: redLineDeclaredSchema,
  EventCorrected: eventCorrectedSchema,
  EventRetracted: eventRetractedSchema,
  NewsItemDismissed: newsItemDismissedSchema,
  OutcomeRecorded: outcomeRecordedSchema,
} as const;

export type NegotiationEventType = keyof typeof eventDataSchemas;
export const negotiationEventTypes = Object.keys(eventDataSchemas) as NegotiationEventType[];
const NEGOTIATION_TYPES = new Set<string>(negotiationEventTypes);

export function isNegotiationType(type: string): type is NegotiationEventType {
  return NEGOTIATION_TYPES.has(type);
}

/** Events that set, drop or bound a party's stance: what corrections and retractions may target. */
export const POSITION_CARRYING = new Set<NegotiationEventType>([
  'PositionStated',
  'ProposalTabled',
  'MeetingHeld',
  'PositionWithdrawn',
  'RedLineDeclared',
]);

/** What corrections and retractions may target: the position-carrying events and recorded outcomes. */
export const CORRECTABLE = new Set<NegotiationEventType>([...POSITION_CARRYING, 'OutcomeRecorded']);

export type EventData = { [T in NegotiationEventType]: z.infer<(typeof eventDataSchemas)[T]> };
export type Source = z.infer<typeof sourceSchema>;

/** How precisely `occurredAt` is known; it names the start of that period (default instant). */
export const datePrecisionSchema = z.enum(['instant', 'day', 'week', 'month']);
export type DatePrecision = z.infer<typeof datePrecisionSchema>;

/** A negotiation event as the domain sees it: typed data, valid and recorded time. */
export type NegotiationEvent = {
  [T in NegotiationEventType]: {
    id: string;
    type: T;
    data: EventData[T];
    occurredAt: Date;
    recordedAt: Date;
    globalPosition: number;
    streamVersion: number;
    source?: Source;
    datePrecision?: DatePrecision;
  };
}[NegotiationEventType];

/** A type with the data that type has: what the rules and the fold narrow on. */
export type TypedData = { [T in NegotiationEventType]: { type: T; data: EventData[T] } }[NegotiationEventType];
/** The part of an event the write side folds. */
export type FoldedEvent = TypedData & { id: string };
/** What the rules judge: a folded event with its valid time. */
export type DomainEvent = FoldedEvent & { occurredAt: Date };

/**
 * A stored or prepared event as the domain types it. Its data was parsed by this type's schema
 * when it was appended (the event store's registry holds eventDataSchemas), so the one cast
 * between the store's `unknown` and the domain's types is here, not in every rule.
 */
export function asDomainEvent(event: { id: string; type: string; data: unknown; occurredAt: Date }): DomainEvent {
  return event as DomainEvent;
}

export const negotiationEventDefinitions: EventDefinition[] = negotiationEventTypes.map((type) => ({
  type,
  schema: eventDataSchemas[type],
}));
