import { z } from 'zod';
import { instantOrDateSchema } from '../negotiation/time';

const nowDefault = () => new Date();

/** `at` and `knownAt`: instants or dates (end of that UTC day), default now. */
export const asOfParams = z.object({
  at: instantOrDateSchema.optional().transform((v) => v ?? nowDefault()),
  knownAt: instantOrDateSchema.optional().transform((v) => v ?? nowDefault()),
});

export const knownAtParams = asOfParams.pick({ knownAt: true });

export const pageParams = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
