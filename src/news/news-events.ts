import { Duration } from 'luxon';
import { z } from 'zod';
import type { EventDefinition } from '../event-store/event-registry';
import { slugSchema } from '../negotiation/domain/events';
import { instantOrDateTextSchema } from '../negotiation/domain/time';

export const pollIntervalSchema = z.string().refine((v) => {
  const d = Duration.fromISO(v);
  return d.isValid && d.toMillis() >= 1000;
}, 'Expected an ISO 8601 duration of at least PT1S, e.g. PT5M');

const short = (max: number) => z.string().trim().min(1).max(max);

/** One news item as it arrives, pushed or polled (before it gets its id). */
export const newsItemInputSchema = z
  .object({
    guid: short(2000).optional(),
    url: z.url({ protocol: /^https?$/ }).max(2000).optional(),
    title: short(1000),
    publisher: short(200).optional(),
    publishedAt: instantOrDateTextSchema.optional(),
    summary: z.string().max(10_000).optional(),
  })
  .strict()
  .refine((i) => i.guid !== undefined || i.url !== undefined, { message: 'An item needs a guid or a url (its identity)', path: ['guid'] });

export type NewsItemInput = z.infer<typeof newsItemInputSchema>;

export const registerSourceSchema = z
  .object({
    id: slugSchema.optional(),
    url: z.url({ protocol: /^https?$/ }).max(2000),
    pollInterval: pollIntervalSchema.default('PT5M'),
    negotiations: z.array(slugSchema).min(1).max(100),
  })
  .strict();

/**
 * A negotiation's watch: `terms` match case-insensitively (the contract); `caseSensitive` only
 * as written (acronyms); an item holding an `exclude` term is not matched. Whole words always.
 */
export const watchTermsSchema = z
  .object({ terms: z.array(short(200)).max(500), caseSensitive: z.array(short(200)).max(500).default([]), exclude: z.array(short(200)).max(500).default([]) })
  .strict();

/** Events of the news context: feeds (`sources:<id>`), items, and watch terms (`<nid>.news`). */
export const newsEventSchemas = {
  SourceRegistered: z.object({ source: slugSchema, url: z.string(), pollInterval: z.string(), negotiations: z.array(slugSchema) }),
  SourceRemoved: z.object({ source: slugSchema }),
  NewsItemReceived: z.object({
    item: z.uuid(),
    source: slugSchema.nullable(),
    negotiation: slugSchema.nullable(),
    guid: z.string().nullable(),
    url: z.string().nullable(),
    title: z.string(),
    publisher: z.string().nullable(),
    publishedAt: z.string().nullable(),
    summary: z.string().nullable(),
    /** SHA-256 of the item's content: an edited item (same guid, new content) is a new version. */
    contentHash: z.string(),
    /** Lengths of the feed's text where it was trimmed to fit (title, summary, publisher). */
    originalLengths: z.object({ title: z.number().int(), summary: z.number().int(), publisher: z.number().int() }).partial().optional(),
  }),
  WatchTermsSet: z.object({ terms: z.array(z.string()), caseSensitive: z.array(z.string()).optional(), exclude: z.array(z.string()).optional() }),
};

export type NewsItemReceived = z.infer<(typeof newsEventSchemas)['NewsItemReceived']>;

export const newsEventDefinitions: EventDefinition[] = Object.entries(newsEventSchemas).map(([type, schema]) => ({ type, schema }));
