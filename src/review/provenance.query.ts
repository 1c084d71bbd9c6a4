import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database/schema';
import { EventStore } from '../event-store/event-store';
import { UnknownNegotiation } from '../negotiation/domain/errors';
import { reviewStream } from '../negotiation/domain/streams';
import { storedItems } from '../news/news.repository';
import { eventJson } from '../negotiation/reading/event-json';
import { openAsOf, type AsOfQuery } from '../negotiation/reading/open-as-of';
import type { Stance } from '../negotiation/stances/stance';
import { stancesAt } from '../negotiation/stances/stance.repository';
import { ReadGate, type ReadContext } from '../projection-runner/read-gate';
import { citedItems, reviewState, type Proposal } from './review-state';

export interface ProvenanceAnswer {
  at: string;
  knownAt: string;
  publicAt: string | null;
  version: number;
  party: string;
  issue: string;
  stance: Stance | null;
  /** The event that set the stance, as event reads show it (codedBy, reviewedBy, source). */
  event: ReturnType<typeof eventJson> | null;
  /** Corrections and retractions of that event known at knownAt, oldest first. */
  amendments: ReturnType<typeof eventJson>[];
  /** The proposal it entered the record through (review), or null. */
  proposal: Omit<Proposal, 'events'> | null;
  /** Every coder's proposal on the same news item (double coding), with what each coded. */
  codings: { proposal: string; codedBy: string | null; status: string; events: Record<string, unknown>[] }[];
  /** The news item it cites, as received. */
  newsItem: { id: string; title: string; url: string | null; publisher: string | null; publishedAt: string | null } | null;
}

export class GetProvenance extends Query<ProvenanceAnswer> {
  constructor(
    readonly negotiationId: string,
    readonly party: string,
    readonly issue: string,
    readonly query: AsOfQuery,
    readonly read?: ReadContext,
  ) {
    super();
  }
}

/**
 * Where a stance cell comes from, in one request (contract v4's coding team): the event that
 * set it and who coded and accepted it, the corrections since, the proposal and the other
 * coders' readings of the same news item, and the item itself.
 */
@QueryHandler(GetProvenance)
export class GetProvenanceHandler implements IQueryHandler<GetProvenance> {
  constructor(
    private readonly gate: ReadGate,
    private readonly store: EventStore,
  ) {}

  async execute({ negotiationId, party, issue, query, read }: GetProvenance): Promise<ProvenanceAnswer> {
    const { db, asOf } = await openAsOf(this.gate, negotiationId, query, read);
    const stance = (await stancesAt(db, negotiationId, asOf)).find((s) => s.party === party && s.issue === issue) ?? null;
    const base = { at: asOf.at.toISOString(), knownAt: asOf.knownAt.toISOString(), publicAt: asOf.publicAt?.toISOString() ?? null, version: asOf.version ?? 0, party, issue, stance };
    if (!stance) return { ...base, event: null, amendments: [], proposal: null, codings: [], newsItem: null };
    const [event] = await this.events(db, sql`id = ${stance.eventId}::uuid`);
    if (!event) throw new UnknownNegotiation(negotiationId);
    const amendments = await this.events(
      db,
      sql`stream_id = ${negotiationId} and type in ('EventCorrected', 'EventRetracted') and data->>'target' = ${stance.eventId} and recorded_at <= ${asOf.knownAt}`,
    );
    const review = reviewState(await this.store.readStream(reviewStream(negotiationId)));
    const proposalId = event.metadata.proposal as string | undefined;
    const found = proposalId ? review.proposals.get(proposalId) : undefined;
    const itemId = (event.metadata.source as { itemId?: string } | undefined)?.itemId;
    const codings = itemId
      ? [...review.proposals.values()].filter((p) => citedItems(p).includes(itemId)).map((p) => ({ proposal: p.id, codedBy: p.codedBy, status: p.status, events: p.events }))
      : [];
    return {
      ...base,
      event: eventJson(event),
      amendments: amendments.map(eventJson),
      proposal: found ? withoutEvents(found) : null,
      codings,
      newsItem: itemId ? await this.newsItem(db, itemId) : null,
    };
  }

  private async events(db: Kysely<Database>, where: ReturnType<typeof sql>) {
    const { rows } = await sql<Parameters<EventStore['toStoredEvent']>[0]>`select * from events where ${where} order by global_position`.execute(db);
    return rows.map((row) => this.store.toStoredEvent(row));
  }

  private async newsItem(db: Kysely<Database>, itemId: string) {
    const data = (await storedItems(db, [itemId])).get(itemId);
    return data ? { id: itemId, title: data.title, url: data.url, publisher: data.publisher, publishedAt: data.publishedAt } : null;
  }
}

function withoutEvents({ events: _events, ...rest }: Proposal): Omit<Proposal, 'events'> {
  return rest;
}
