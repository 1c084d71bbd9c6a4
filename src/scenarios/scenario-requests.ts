import { z } from 'zod';
import { appendRequestSchema } from '../negotiation/domain/requests';
import { scenarioNameSchema } from '../negotiation/domain/scenarios';
import { instantOrDateSchema } from '../negotiation/domain/time';
import { asOfParams, gapsParams } from '../negotiation/reading/as-of-params';

/**
 * Where a branch starts: a date or instant forks it in valid time (it sees the record as known
 * now, up to that date, and its own events); a global position sees the record as the log held
 * it then. Absent: the record as it is, whole.
 */
export const fromSchema = z.union([z.number().int().min(1), instantOrDateSchema]);

export const openScenarioSchema = z
  .object({ name: scenarioNameSchema, from: fromSchema.optional(), description: z.string().min(1).max(5000).optional() })
  .strict();

export const rebaseScenarioSchema = z.object({ from: fromSchema.optional() }).strict();

/** Hypothetical events: the record's append request, to the branch's stream. */
export const hypotheticalRequestSchema = appendRequestSchema;

/** The diff read: any as-of question of the record, and which parties' gaps to compare. */
export const diffParams = gapsParams.omit({ version: true, scenario: true });
export const scenarioReadParams = asOfParams;

export const scenarioListParams = z.object({ status: z.enum(['open', 'closed']).optional() });
