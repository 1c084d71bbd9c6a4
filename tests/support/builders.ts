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

export const proposal = (id: string, sponsors: string[], positions: { issue: string; value: number }[], at: string, venue?: string): Wire => ({
  type: 'ProposalTabled',
  occurredAt: day(at),
  data: { proposal: id, title: id, sponsors, positions, ...(venue ? { venue } : {}) },
});

export const meeting = (participants: string[], at: string, positions: { party: string; issue: string; value: number }[] = [], place?: string): Wire => ({
  type: 'MeetingHeld',
  occurredAt: day(at),
  data: { participants, ...(place ? { place } : {}), ...(positions.length > 0 ? { positions } : {}) },
});

export const withdrawn = (p: string, i: string, at: string): Wire => ({
  type: 'PositionWithdrawn',
  occurredAt: day(at),
  data: { party: p, issue: i },
});

export const redLine = (p: string, i: string, acceptable: { min?: number; max?: number }, at: string): Wire => ({
  type: 'RedLineDeclared',
  occurredAt: day(at),
  data: { party: p, issue: i, acceptable },
});

export const corrected = (target: string, data: Record<string, unknown>, at: string, occurredAt?: string): Wire => ({
  type: 'EventCorrected',
  occurredAt: day(at),
  data: { target, data, ...(occurredAt ? { occurredAt: day(occurredAt) } : {}) },
});

export const retracted = (target: string, at: string, reason = 'the report was wrong'): Wire => ({
  type: 'EventRetracted',
  occurredAt: day(at),
  data: { target, reason },
});

export const dismissed = (item: string, at: string, reason = 'not about the talks'): Wire => ({
  type: 'NewsItemDismissed',
  occurredAt: day(at),
  data: { item, reason },
});

export const outcome = (i: string, value: number | null, at: string, extra: Record<string, unknown> = {}): Wire => ({
  type: 'OutcomeRecorded',
  occurredAt: day(at),
  data: { issue: i, value, ...extra },
});
