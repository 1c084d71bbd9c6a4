import { z } from 'zod';

/** An ISO 8601 instant with an offset (`2025-04-17T10:00:00Z`, `…+03:00`); impossible dates fail. */
export const instantSchema = z.iso
  .datetime({ offset: true, message: 'Expected an ISO 8601 instant with an offset, e.g. 2025-04-17T10:00:00Z' })
  .transform((value) => new Date(value));

/**
 * An instant, or a date alone meaning the end of that UTC day (for `at`, `knownAt`, `from`,
 * `to`): asking "as of 2025-04-17" includes everything on the 17th.
 */
export const instantOrDateSchema = z.union([
  instantSchema,
  z.iso
    .date({ message: 'Expected an ISO 8601 date or instant' })
    .transform((value) => new Date(`${value}T23:59:59.999Z`)),
]);

/** How far in the future an occurredAt may lie: clocks of clients and server disagree. */
export const CLOCK_SKEW_MS = 60_000;
