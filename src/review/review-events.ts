import { z } from 'zod';
import type { EventDefinition } from '../event-store/event-registry';
import { personName } from '../config/config';

const who = personName.nullable();

/**
 * The review of a negotiation's coding lives in `<nid>.review`: whether review is required,
 * and each proposal with its fate. A proposal's events are kept as they were submitted (the
 * request's wire form): they enter the negotiation's own stream only when accepted.
 */
export const reviewEventSchemas = {
  /** `doubleCoding`: the share of news items two coders code blind (0, the default: none). */
  ReviewRequirementSet: z.object({ required: z.boolean(), by: who, doubleCoding: z.number().min(0).max(1).optional() }),
  /** The proposal's id is this event's id. */
  ProposalSubmitted: z.object({ codedBy: who, events: z.array(z.record(z.string(), z.unknown())).min(1) }),
  ProposalAccepted: z.object({
    proposal: z.uuid(),
    reviewedBy: who,
    /** Whether the reviewer replaced the proposal's events (the edited ones are what entered). */
    edited: z.boolean(),
    /** The ids of the events that entered the negotiation. */
    events: z.array(z.uuid()),
  }),
  ProposalRejected: z.object({ proposal: z.uuid(), reviewedBy: who, reason: z.string().min(1).max(2000) }),
};

export const reviewEventDefinitions: EventDefinition[] = Object.entries(reviewEventSchemas).map(([type, schema]) => ({ type, schema }));

export type ReviewEventData = { [K in keyof typeof reviewEventSchemas]: z.infer<(typeof reviewEventSchemas)[K]> };
