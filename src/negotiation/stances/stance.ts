import type { DatePrecision, EventData, NegotiationEventType, Source } from '../domain/events';

/**
 * Valid time (`at`) and recorded time (`knownAt`) of a question, and optionally `publicAt`:
 * only position-carrying events whose report was public by then count (source.publishedAt,
 * or recordedAt without one); corrections and retractions still apply by knownAt alone.
 */
export interface AsOf {
  at: Date;
  knownAt: Date;
  publicAt?: Date | undefined;
  /** A cited version: the global position of the stream's n-th event; later events do not count. */
  upTo?: number | undefined;
  /** A scenario branch: the record up to its base, and the branch's own (hypothetical) events. */
  branch?: Branch | undefined;
  /** The record's version the read reflects (echoed in answers; set by openAsOf). */
  version?: number | undefined;
  /**
   * An event known only to a day, week or month counts from the start of its period (`start`,
   * the contract's rule and the default) or from its end (`end`: conservative, docs/metrics.md).
   */
  periods?: 'start' | 'end' | undefined;
  /**
   * With publicAt: corrections and retractions apply as known at knownAt (`known`, the
   * contract's rule and the default) or only once their own report was public (`public`).
   */
  corrections?: 'known' | 'public' | undefined;
}

/**
 * A scenario branch as reads see it: its name, the stream its hypothetical events live in (the
 * projection's key for them), its base (the global position of the last record event it sees)
 * and, for a branch forked at a date, that date: the record's facts from after it are left out.
 */
export interface Branch {
  name: string;
  key: string;
  base: number;
  /** Forked at a date: the record's facts valid after it are not the branch's (null: none cut). */
  until: Date | null;
}

/** What bounds which rows of a negotiation a read sees: recorded time, a cited version, a branch. */
export type Scope = Pick<AsOf, 'knownAt' | 'upTo' | 'branch'>;

/** When a report became public: its source's publishedAt (a date alone: that day's start), else its recordedAt. */
export function publicTime(source: Source | null | undefined, recordedAt: Date): Date {
  const published = source?.publishedAt;
  if (!published) return recordedAt;
  return new Date(published.length === 10 ? `${published}T00:00:00Z` : published);
}

/** One party's stance-relevant statement on one issue, taken from an effective event. */
/** How sure a coder is of a position, and how it is known; every field null when not coded. */
export interface PositionDetail {
  confidence: number | null;
  quote: string | null;
  uncertainty: { low: number; high: number } | null;
  basis: 'quoted' | 'paraphrased' | 'inferred' | null;
}

export type Fact =
  | ({ kind: 'set'; value: number; salience: number | null; summary: string | null } & PositionDetail)
  | { kind: 'withdraw'; summary: string | null }
  | { kind: 'red-line'; min: number | null; max: number | null; summary: string | null };

export interface PartyIssueFact {
  party: string;
  issue: string;
  fact: Fact;
}

/** What an event says about each (party, issue) it touches. */
export function factsOf(type: NegotiationEventType, data: unknown): PartyIssueFact[] {
  switch (type) {
    case 'PositionStated': {
      const d = data as EventData['PositionStated'];
      return [
        {
          party: d.party,
          issue: d.issue,
          fact: {
            kind: 'set',
            value: d.value,
            salience: d.salience ?? null,
            summary: d.summary ?? null,
            confidence: d.confidence ?? null,
            quote: d.quote ?? null,
            ...detailOf(d),
          },
        },
      ];
    }
    case 'ProposalTabled': {
      const d = data as EventData['ProposalTabled'];
      return d.sponsors.flatMap((party) =>
        d.positions.map((p) => ({
          party,
          issue: p.issue,
          fact: { kind: 'set' as const, value: p.value, salience: p.salience ?? null, summary: p.summary ?? d.title, confidence: null, quote: null, ...detailOf(p) },
        })),
      );
    }
    case 'MeetingHeld': {
      const d = data as EventData['MeetingHeld'];
      return (d.positions ?? []).map((p) => ({
        party: p.party,
        issue: p.issue,
        fact: { kind: 'set' as const, value: p.value, salience: p.salience ?? null, summary: p.summary ?? d.summary ?? null, confidence: null, quote: null, ...detailOf(p) },
      }));
    }
    case 'PositionWithdrawn': {
      const d = data as EventData['PositionWithdrawn'];
      return [{ party: d.party, issue: d.issue, fact: { kind: 'withdraw', summary: d.summary ?? null } }];
    }
    case 'RedLineDeclared': {
      const d = data as EventData['RedLineDeclared'];
      return [
        {
          party: d.party,
          issue: d.issue,
          fact: { kind: 'red-line', min: d.acceptable.min ?? null, max: d.acceptable.max ?? null, summary: d.summary ?? null },
        },
      ];
    }
    default:
      return [];
  }
}

const detailOf = (p: { uncertainty?: { low: number; high: number } | undefined; basis?: PositionDetail['basis'] | undefined }) => ({
  uncertainty: p.uncertainty ?? null,
  basis: p.basis ?? null,
});

export interface Stance extends PositionDetail {
  party: string;
  issue: string;
  value: number;
  salience: number | null;
  since: Date;
  /** How precisely `since` is known: `week` means "the week starting `since`". */
  sincePrecision: DatePrecision;
  eventId: string;
  summary: string | null;
  source: Source | null;
  /** On a scenario branch only: whether the stance is the branch's own (a hypothetical event's). */
  hypothetical?: boolean;
}

export interface RedLine {
  party: string;
  issue: string;
  min: number | null;
  max: number | null;
  since: Date;
  eventId: string;
  summary: string | null;
  source: Source | null;
}
