import { z } from 'zod';
import { slugSchema } from '../negotiation/domain/events';
import { eventInputSchema } from '../negotiation/domain/requests';
import { asOfParams } from '../negotiation/reading/as-of-params';
import { instantOrDateSchema } from '../negotiation/domain/time';

/** PUT /negotiations/{nid}/review */
export const reviewRequirementSchema = z
  .object({
    required: z.boolean(),
    /** The share of news items two coders code blind (0 to 1; 0, the default, samples none). */
    doubleCoding: z.number().min(0).max(1).optional(),
  })
  .strict();
/** GET /negotiations/{nid}/proposals */
export const proposalsParams = z.object({ status: z.enum(['open', 'accepted', 'rejected']).optional() }).strict();
/** POST …/proposals/{id}/accept: the reviewer's edit, when the proposal's events are not taken as they are. */
export const acceptSchema = z.object({ events: z.array(eventInputSchema).min(1).max(10_000).optional() }).strict();
/** POST …/proposals/{id}/reject */
export const rejectSchema = z.object({ reason: z.string().trim().min(1).max(2000) }).strict();
/** GET /negotiations/{nid}/agreement: codings whose occurredAt lies in [from, to]; per issue or per coder pair. */
export const agreementParams = z
  .object({
    from: instantOrDateSchema.optional(),
    to: instantOrDateSchema.optional(),
    by: z.enum(['issue', 'pair']).optional(),
    format: z.enum(['json', 'csv']).optional(),
  })
  .strict();
/** GET /negotiations/{nid}/provenance: one stance cell (party, issue), as of any as-of read. */
export const provenanceParams = asOfParams.extend({ party: slugSchema, issue: slugSchema });
