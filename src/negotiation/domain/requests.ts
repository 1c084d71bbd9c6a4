import { z } from 'zod';
import { datePrecisionSchema, eventDataSchemas, slugSchema, sourceSchema, type NegotiationEventType } from './events';
import { instantSchema } from './time';

export const negotiationIdSchema = slugSchema;

function envelope<T extends NegotiationEventType>(type: T) {
  return z
    .object({
      id: z.uuid().optional(),
      type: z.literal(type),
      occurredAt: instantSchema,
      data: eventDataSchemas[type],
      source: sourceSchema.optional(),
      datePrecision: datePrecisionSchema.optional(),
    })
    .strict();
}

/** One event as a client sends it: the envelope's shape follows its `type`. */
export const eventInputSchema = z.discriminatedUnion('type', [
  envelope('NegotiationOpened'),
  envelope('PartyAdded'),
  envelope('IssueDefined'),
  envelope('PositionStated'),
  envelope('ProposalTabled'),
  envelope('MeetingHeld'),
  envelope('PositionWithdrawn'),
  envelope('RedLineDeclared'),
  envelope('EventCorrected'),
  envelope('EventRetracted'),
  envelope('NewsItemDismissed'),
  envelope('OutcomeRecorded'),
]);

export const expectedVersionSchema = z.union([
  z.number().int().min(0),
  z.literal('no_stream'),
  z.literal('any'),
]);

export const appendRequestSchema = z
  .object({
    events: z.array(eventInputSchema).min(1).max(10_000),
    expectedVersion: expectedVersionSchema.optional(),
  })
  .strict();

export type EventInput = z.infer<typeof eventInputSchema>;
export type AppendRequest = z.infer<typeof appendRequestSchema>;
