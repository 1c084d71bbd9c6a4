import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '../event-store/event-store';
import { requireNegotiation } from '../negotiation/domain/errors';
import { NegotiationWriter } from '../negotiation/writing/negotiation-writer';
import { reviewStream } from '../negotiation/domain/streams';
import { bootstrapAlpha, krippendorffAlpha, type Metric } from './krippendorff';
import { reviewState } from './review-state';

/** One coder's coding of one (party, issue) from one news item. */
interface Coding {
  item: string;
  coder: string;
  party: string;
  issue: string;
  /** On the issue's scale mapped to 0–100, so issues of different scales pool. */
  value: number;
  basis: string | null;
  occurredAt: string;
}

export interface AlphaFigure {
  estimate: number | null;
  low: number | null;
  high: number | null;
  pairable: number;
}

export interface AgreementAnswer {
  units: number;
  pairable: number;
  coders: string[];
  alpha: { value: AlphaFigure; basis: AlphaFigure; assignment: AlphaFigure };
  percentAgreement: number | null;
  by: 'issue' | 'pair' | null;
  groups: { group: string; value: AlphaFigure; percentAgreement: number | null }[];
  disagreements: { item: string; party: string; issue: string; codings: { coder: string; value: number; basis: string | null }[] }[];
}

export class GetAgreement extends Query<AgreementAnswer> {
  constructor(
    readonly negotiationId: string,
    readonly from?: Date,
    readonly to?: Date,
    readonly by?: 'issue' | 'pair',
  ) {
    super();
  }
}

/**
 * Inter-coder agreement on a negotiation's double-coded news (contract v4): a unit is a news
 * item coded by two or more people. Codings are what each coder proposed (review, any status:
 * the coder's own reading, before a reviewer's edit) and what named coders appended straight
 * into the record citing an item; a coder's last coding of a (party, issue) from an item counts.
 */
@QueryHandler(GetAgreement)
export class GetAgreementHandler implements IQueryHandler<GetAgreement> {
  constructor(
    private readonly store: EventStore,
    private readonly writer: NegotiationWriter,
  ) {}

  async execute({ negotiationId, from, to, by }: GetAgreement): Promise<AgreementAnswer> {
    const state = await this.writer.stateOf(negotiationId);
    requireNegotiation(negotiationId, state.version);
    const scaled = (issue: string, value: number) => {
      const scale = state.issues.get(issue)?.scale ?? { min: 0, max: 100 };
      return ((value - scale.min) / (scale.max - scale.min)) * 100;
    };
    const codings = new Map<string, Coding>();
    const take = (coder: string | null, event: { type?: unknown; occurredAt?: unknown; data?: unknown; source?: unknown }) => {
      const item = (event.source as { itemId?: string } | undefined)?.itemId;
      if (!coder || !item || event.type !== 'PositionStated') return;
      const data = event.data as { party: string; issue: string; value: number; basis?: string };
      const occurredAt = event.occurredAt instanceof Date ? event.occurredAt.toISOString() : String(event.occurredAt);
      if ((from && occurredAt < from.toISOString()) || (to && occurredAt > to.toISOString())) return;
      codings.set(`${item}\u0000${coder}\u0000${data.party}\u0000${data.issue}`, {
        item, coder, party: data.party, issue: data.issue, value: scaled(data.issue, data.value), basis: data.basis ?? null, occurredAt,
      });
    };
    for (const proposal of reviewState(await this.store.readStream(reviewStream(negotiationId))).proposals.values()) {
      for (const event of proposal.events) take(proposal.codedBy, event);
    }
    for (const event of await this.store.readStream(negotiationId)) {
      if (event.metadata.proposal) continue; // entered through review: counted as proposed
      take((event.metadata.codedBy as string | undefined) ?? null, { type: event.type, occurredAt: event.occurredAt, data: event.data, source: event.metadata.source });
    }
    return summarize([...codings.values()], by ?? null);
  }
}

function summarize(codings: Coding[], by: 'issue' | 'pair' | null): AgreementAnswer {
  const codersOf = new Map<string, Set<string>>();
  for (const c of codings) codersOf.set(c.item, (codersOf.get(c.item) ?? new Set()).add(c.coder));
  const doubled = codings.filter((c) => codersOf.get(c.item)!.size >= 2);
  const cells = group(doubled, (c) => `${c.item}\u0000${c.party}\u0000${c.issue}`);
  const valueUnits = [...cells.values()].map((cs) => cs.map((c) => c.value));
  const basisUnits = [...cells.values()].map((cs) => cs.flatMap((c) => (c.basis === null ? [] : [c.basis])));
  // Which (party, issue) each coder coded an item to: one nominal value per coder and item.
  const assignmentUnits = [...group(doubled, (c) => c.item).values()].map((cs) =>
    [...group(cs, (c) => c.coder).values()].map((mine) => mine.map((c) => `${c.party}/${c.issue}`).sort().join(',')),
  );
  const value = figure(valueUnits, 'interval');
  const groups =
    by === null
      ? []
      : [...group(doubled, (c) => (by === 'issue' ? c.issue : '')).entries()].flatMap(([key, cs]) =>
          by === 'issue' ? [groupFigure(key, cs)] : pairFigures(cs),
        );
  return {
    units: new Set(doubled.map((c) => c.item)).size,
    pairable: value.pairable,
    coders: [...new Set(doubled.map((c) => c.coder))].sort(),
    alpha: { value, basis: figure(basisUnits, 'nominal'), assignment: figure(assignmentUnits, 'nominal') },
    percentAgreement: percentAgreement(valueUnits),
    by,
    groups,
    disagreements: [...cells.values()]
      .filter((cs) => cs.length >= 2 && new Set(cs.map((c) => c.value)).size > 1)
      .map((cs) => ({ item: cs[0]!.item, party: cs[0]!.party, issue: cs[0]!.issue, codings: cs.map((c) => ({ coder: c.coder, value: c.value, basis: c.basis })) })),
  };
}

function groupFigure(name: string, cs: Coding[]) {
  const units = [...group(cs, (c) => `${c.item}\u0000${c.party}\u0000${c.issue}`).values()].map((u) => u.map((c) => c.value));
  return { group: name, value: figure(units, 'interval'), percentAgreement: percentAgreement(units) };
}

/** Every pair of coders, on the cells both coded. */
function pairFigures(cs: Coding[]) {
  const coders = [...new Set(cs.map((c) => c.coder))].sort();
  const figures = [];
  for (let i = 0; i < coders.length; i++) {
    for (let j = i + 1; j < coders.length; j++) {
      const pair = cs.filter((c) => c.coder === coders[i] || c.coder === coders[j]);
      figures.push(groupFigure(`${coders[i]}+${coders[j]}`, pair));
    }
  }
  return figures;
}

function figure(units: (number | string)[][], metric: Metric): AlphaFigure {
  const { alpha, pairable } = krippendorffAlpha(units, metric);
  const { low, high } = bootstrapAlpha(units, metric);
  return { estimate: alpha, low, high, pairable };
}

/** The share of pairable units whose values all agree. */
function percentAgreement(units: (number | string)[][]): number | null {
  const pairable = units.filter((u) => u.length >= 2);
  if (pairable.length === 0) return null;
  return (pairable.filter((u) => new Set(u).size === 1).length / pairable.length) * 100;
}

function group<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
