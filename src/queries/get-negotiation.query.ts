import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '../event-store/event-store';
import type { EventData } from '../negotiation/events';
import { DEFAULT_SCALE } from '../negotiation/state';
import { redLinesAsOf, type RedLine } from '../projections/as-of';
import { negotiationEvents } from './negotiation-events';

export interface NegotiationDetails {
  id: string;
  title: string | null;
  description: string | null;
  knownAt: string;
  version: number;
  parties: { party: string; name: string; aliases: string[]; capability: number | null }[];
  issues: { issue: string; title: string; scale: { min: number; max: number; labels: Record<string, string> } }[];
  redLines: RedLine[];
}

export class GetNegotiation extends Query<NegotiationDetails> {
  constructor(
    readonly negotiationId: string,
    readonly knownAt: Date,
  ) {
    super();
  }
}

/** Title, parties, issues and red lines as known at `knownAt` (parties whatever their occurredAt). */
@QueryHandler(GetNegotiation)
export class GetNegotiationHandler implements IQueryHandler<GetNegotiation> {
  constructor(private readonly store: EventStore) {}

  async execute({ negotiationId, knownAt }: GetNegotiation): Promise<NegotiationDetails> {
    const all = await negotiationEvents(this.store, negotiationId);
    const known = all.filter((e) => e.recordedAt.getTime() <= knownAt.getTime());
    let opened: EventData['NegotiationOpened'] | undefined;
    const parties: EventData['PartyAdded'][] = [];
    const issues: NegotiationDetails['issues'] = [];
    for (const event of known) {
      if (event.type === 'NegotiationOpened') opened = event.data;
      if (event.type === 'PartyAdded') parties.push(event.data);
      if (event.type === 'IssueDefined') {
        const scale = event.data.scale ?? DEFAULT_SCALE;
        issues.push({ issue: event.data.issue, title: event.data.title, scale: { ...scale, labels: scale.labels ?? {} } });
      }
    }
    return {
      id: negotiationId,
      title: opened?.title ?? null,
      description: opened?.description ?? null,
      knownAt: knownAt.toISOString(),
      version: known.length,
      parties: parties.map((p) => ({ party: p.party, name: p.name, aliases: p.aliases ?? [], capability: p.capability ?? null })),
      issues,
      redLines: redLinesAsOf(all, { at: knownAt, knownAt }),
    };
  }
}
