import { z } from 'zod';
import { eventInputSchema } from '../negotiation/domain/requests';

/** PUT /negotiations/{nid}/review */
export const reviewRequirementSchema = z.object({ required: z.boolean() }).strict();
/** GET /negotiations/{nid}/proposals */
export const proposalsParams = z.object({ status: z.enum(['open', 'accepted', 'rejected']).optional() }).strict();
/** POST …/proposals/{id}/accept: the reviewer's edit, when the proposal's events are not taken as they are. */
export const acceptSchema = z.object({ events: z.array(eventInputSchema).min(1).max(10_000).optional() }).strict();
/** POST …/proposals/{id}/reject */
export const rejectSchema = z.object({ reason: z.string().trim().min(1).max(2000) }).strict();
