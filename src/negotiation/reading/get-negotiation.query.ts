import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { RedLine } from '../stances/stance';
import { issuesKnown, partiesKnown, redLinesAt, type KnownIssue, type KnownParty } from '../stances/stance.repository';
import { ReadModel } from './read-model';

export interface NegotiationDetails {
  id: string;
  title: string | null;
  description: string | null;
  knownAt: string;
  version: number;
  parties: KnownParty[];
  issues: KnownIssue[];
  redLines: RedLine[];
}

export class GetNegotiation extends Query<NegotiationDetails> {
  constructor(
    readonly negotiationId: string,
    readonly knownAtQuery: Date | undefined,
  ) {
    super();
  }
}

/** Title, parties, issues and red lines as known at `knownAt` (parties whatever their occurredAt). */
@QueryHandler(GetNegotiation)
export class GetNegotiationHandler implements IQueryHandler<GetNegotiation> {
  constructor(private readonly readModel: ReadModel) {}

  async execute({ negotiationId, knownAtQuery }: GetNegotiation): Promise<NegotiationDetails> {
    const { db, now } = await this.readModel.open(negotiationId);
    const knownAt = knownAtQuery ?? now;
    const [opened, version, parties, issues, redLines] = await Promise.all([
      db
        .selectFrom('events')
        .select('data')
        .where('stream_id', '=', negotiationId)
        .where('type', '=', 'NegotiationOpened')
        .where('recorded_at', '<=', knownAt)
        .executeTakeFirst(),
      db
        .selectFrom('events')
        .select((eb) => eb.fn.max('stream_version').as('version'))
        .where('stream_id', '=', negotiationId)
        .where('recorded_at', '<=', knownAt)
        .executeTakeFirst(),
      partiesKnown(db, negotiationId, knownAt),
      issuesKnown(db, negotiationId, knownAt),
      redLinesAt(db, negotiationId, { at: knownAt, knownAt }),
    ]);
    const data = opened?.data as { title?: string; description?: string } | undefined;
    return {
      id: negotiationId,
      title: data?.title ?? null,
      description: data?.description ?? null,
      knownAt: knownAt.toISOString(),
      version: version?.version ?? 0,
      parties,
      issues,
      redLines,
    };
  }
}
