import { z } from 'zod';

/**
 * The instants Parley accepts: years 1000 to 9999 in UTC. PostgreSQL stores much more (year
 * 0000 becomes `0001 BC`), but such values are typing errors in a negotiation tracker, and
 * outside four-digit years ISO 8601 text is no longer plain: bound them at the edge.
 */
export const INSTANT_MIN = new Date('1000-01-01T00:00:00.000Z');
export const INSTANT_MAX = new Date('9999-12-31T23:59:59.999Z');
const RANGE_MESSAGE = 'Instants must lie between 1000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)';

const inRange = (date: Date) => date.getTime() >= INSTANT_MIN.getTime() && date.getTime() <= INSTANT_MAX.getTime();

const instantFormat = z.iso.datetime({ offset: true, message: 'Expected an ISO 8601 instant with an offset, e.g. 2025-04-17T10:00:00Z' });
const dateFormat = z.iso.date({ message: 'Expected an ISO 8601 date or instant' });

/** ISO 8601 instant text with an offset, kept as text (inside event data), bounded as above. */
export const instantTextSchema = instantFormat.refine((value) => inRange(new Date(value)), RANGE_MESSAGE);

/** ISO 8601 date text (`2025-04-17`), bounded as above. */
export const dateTextSchema = dateFormat.refine((value) => inRange(new Date(`${value}T00:00:00Z`)), RANGE_MESSAGE);

/** A date or an instant, kept as text (a source's publishedAt), bounded as above. */
export const instantOrDateTextSchema = z
  .string()
  .refine((value) => instantFormat.safeParse(value).success || dateFormat.safeParse(value).success, {
    message: 'Expected an ISO 8601 date or instant with an offset',
    abort: true,
  })
  .refine((value) => inRange(new Date(value.length === 10 ? `${value}T00:00:00Z` : value)), RANGE_MESSAGE);

/** An ISO 8601 instant with an offset (`2025-04-17T10:00:00Z`, `…+03:00`); impossible dates fail. */
export const instantSchema = instantTextSchema.transform((value) => new Date(value));

/**
 * An instant, or a date alone meaning the end of that UTC day (for `at`, `knownAt`, `from`,
 * `to`): asking "as of 2025-04-17" includes everything on the 17th.
 */
export const instantOrDateSchema = z.union([
  instantSchema,
  dateTextSchema.transform((value) => new Date(`${value}T23:59:59.999Z`)),
]);

/** How far in the future an occurredAt may lie: clocks of clients and server disagree. */
export const CLOCK_SKEW_MS = 60_000;
