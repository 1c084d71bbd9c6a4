import type { EventInput } from '../../src/negotiation/domain/requests';

/** Builders for negotiation events as a client sends them (JSON, dates as strings). */
type Wire = Omit<EventInput, 'occurredAt'> & { occurredAt: string };

const day = (d: string) => (d.length === 10 ? `${d}T12:00:00Z` : d);

export const opened = (title = 'Test talks', at = '2025-04-01'): Wire => ({
  type: 'NegotiationOpened',
  occurredAt: day(at),
  data: { title },
});

export const party = (slug: string, extra: Record<string, unknown> = {}, at = '2025-04-01'): Wire => ({
  type: 'PartyAdded',
  occurredAt: day(at),
  data: { party: slug, name: slug.toUpperCase(), ...extra },
});

export const issue = (slug: string, scale?: { min: number; max: number }, at = '2025-04-01'): Wire => ({
  type: 'IssueDefined',
  occurredAt: day(at),
  data: { issue: slug, title: slug, ...(scale ? { scale } : {}) },
});

export const stated = (
  p: string,
  i: string,
  value: number,
  at: string,
  extra: Record<string, unknown> = {},
): Wire => ({
  type: 'PositionStated',
  occurredAt: day(at),
  data: { party: p, issue: i, value, ...extra },
});

/** A negotiation with parties us, ukraine, russia and issues crimea, sanctions. */
export const setup = (): Wire[] => [
  opened(),
  party('us'),
  party('ukraine'),
  party('russia'),
  issue('crimea'),
  issue('sanctions'),
];
