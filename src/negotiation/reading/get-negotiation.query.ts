import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { RedLine } from '../stances/stance';
import { issuesKnown, partiesKnown, redLinesAt, spanOf, type KnownIssue, type KnownParty } from '../stances/stance.repository';
import { ReadGate, type ReadContext } from '../../projection-runner/read-gate';
import { openAsOf, readStamp } from './open-as-of';

export interface NegotiationDetails {
  id: string;
  title: string | null;
  description: string | null;
  knownAt: string;
  publicAt: string | null;
  version: number;
  parties: KnownParty[];
  issues: KnownIssue[];
  redLines: RedLine[];
  /** Valid times of the first and last position-carrying event known. */
  span: { first: string; last: string } | null;
}

export class GetNegotiation extends Query<NegotiationDetails> {
  constructor(
    readonly negotiationId: string,
    readonly knownAtQuery: Date | undefined,
    /** A cited version: the negotiation as its events 1..version make it. */
    readonly versionQuery?: number,
    readonly read?: ReadContext,
    /** A scenario branch: its parties, issues and red lines with the record's. */
    readonly scenario?: string,
  ) {
    super();
  }
}

/** Title, parties, issues and red lines as known at `knownAt` (parties whatever their occurredAt). */
@QueryHandler(GetNegotiation)
export class GetNegotiationHandler implements IQueryHandler<GetNegotiation> {
  constructor(private readonly gate: ReadGate) {}

  async execute({ negotiationId, knownAtQuery, versionQuery, read, scenario }: GetNegotiation): Promise<NegotiationDetails & { scenario?: string }> {
    const { db, asOf } = await openAsOf(this.gate, negotiationId, { knownAt: knownAtQuery, version: versionQuery, scenario }, read);
    const { knownAt, upTo } = asOf;
    const [opened, parties, issues, redLines] = await Promise.all([
      db
        .selectFrom('events')
        .select('data')
        .where('stream_id', '=', negotiationId)
        .where('type', '=', 'NegotiationOpened')
        .where('recorded_at', '<=', knownAt)
        .$if(upTo !== undefined, (q) => q.where('global_position', '<=', String(upTo)))
        .executeTakeFirst(),
      partiesKnown(db, negotiationId, asOf),
      issuesKnown(db, negotiationId, asOf),
      redLinesAt(db, negotiationId, { ...asOf, at: knownAt }),
    ]);
    const span = await spanOf(db, negotiationId, asOf);
    const data = opened?.data as { title?: string; description?: string } | undefined;
    return {
      id: negotiationId,
      title: data?.title ?? null,
      description: data?.description ?? null,
      knownAt: knownAt.toISOString(),
      parties,
      issues,
      redLines,
      span,
      ...readStamp(asOf),
    };
  }
}
