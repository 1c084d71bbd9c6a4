import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { v5 as uuidv5 } from 'uuid';
import { VersionConflict } from '../event-store/errors';
import { EventStore } from '../event-store/event-store';
import { requireNegotiation } from '../negotiation/domain/errors';
import { eventInputSchema, type EventInput } from '../negotiation/domain/requests';
import { reviewStream } from '../negotiation/domain/streams';
import { NegotiationWriter, type WriteOutcome } from '../negotiation/writing/negotiation-writer';
import { DomainError, InvalidRequest } from '../shared/domain-error';
import { citedItems, reviewState, sampled, visibleTo, type Proposal, type ProposalStatus, type ReviewState } from './review-state';

/** Namespace of the ids given to a proposal's events when they enter the record: UUIDv5(proposal/variant/index). */
const ACCEPTED_EVENT = '5d0c7e1e-6a4b-4f4e-9a57-7c1f0b2a9d31';

export class UnknownProposal extends DomainError {
  readonly code = 'REVIEW.UNKNOWN_PROPOSAL';
  constructor(negotiationId: string, id: string) {
    super(`Negotiation ${negotiationId} has no proposal ${id}`);
  }
}

export class ProposalDecided extends DomainError {
  readonly code = 'REVIEW.PROPOSAL_DECIDED';
  constructor(readonly proposal: Proposal) {
    super(`Proposal ${proposal.id} was ${proposal.status} already${proposal.reviewedBy ? ` by ${proposal.reviewedBy}` : ''}`);
  }
}

async function readReview(store: EventStore, negotiationId: string): Promise<ReviewState> {
  return reviewState(await store.readStream(reviewStream(negotiationId)));
}

/** The negotiation must exist before its coding can be reviewed. */
async function requireExisting(writer: NegotiationWriter, negotiationId: string): Promise<void> {
  requireNegotiation(negotiationId, (await writer.stateOf(negotiationId)).version);
}

export class SetReviewRequired extends Command<{ required: boolean; doubleCoding: number }> {
  constructor(readonly negotiationId: string, readonly required: boolean, readonly by: string | null, readonly doubleCoding = 0) {
    super();
  }
}

@CommandHandler(SetReviewRequired)
export class SetReviewRequiredHandler implements ICommandHandler<SetReviewRequired> {
  constructor(private readonly store: EventStore, private readonly writer: NegotiationWriter) {}

  async execute({ negotiationId, required, by, doubleCoding }: SetReviewRequired) {
    await requireExisting(this.writer, negotiationId);
    await this.store.appendToStream(reviewStream(negotiationId), [{ type: 'ReviewRequirementSet', occurredAt: new Date(), data: { required, by, doubleCoding } }]);
    return { required, doubleCoding };
  }
}

/** Whether a writer's append to the negotiation becomes a proposal. */
export class ReviewRequired extends Query<boolean> {
  constructor(readonly negotiationId: string) {
    super();
  }
}

@QueryHandler(ReviewRequired)
export class ReviewRequiredHandler implements IQueryHandler<ReviewRequired> {
  constructor(private readonly store: EventStore) {}

  async execute({ negotiationId }: ReviewRequired) {
    // One indexed read of the requirement's last setting, not the whole review stream.
    const last = await this.store.lastOfType(reviewStream(negotiationId), 'ReviewRequirementSet');
    return (last?.data as { required?: boolean } | undefined)?.required === true;
  }
}

export class SubmitProposal extends Command<{ proposal: string }> {
  constructor(
    readonly negotiationId: string,
    readonly events: EventInput[],
    readonly codedBy: string | null,
  ) {
    super();
  }
}

@CommandHandler(SubmitProposal)
export class SubmitProposalHandler implements ICommandHandler<SubmitProposal> {
  constructor(private readonly store: EventStore, private readonly writer: NegotiationWriter) {}

  async execute({ negotiationId, events, codedBy }: SubmitProposal) {
    await requireExisting(this.writer, negotiationId);
    // The contract's checks now (422 as for an append); again when accepted, as the record may move.
    await this.writer.check(negotiationId, events);
    // Kept in the wire form (instants as ISO text), as a client would send them again.
    const wire = JSON.parse(JSON.stringify(events)) as Record<string, unknown>[];
    const result = await this.store.appendToStream(reviewStream(negotiationId), [{ type: 'ProposalSubmitted', occurredAt: new Date(), data: { codedBy, events: wire } }]);
    return { proposal: result.events[0]!.id };
  }
}

export interface ListedProposal extends Proposal {
  /** It cites a news item sampled for double coding. */
  doubleCoded: boolean;
}

export class ListProposals extends Query<{ required: boolean; doubleCoding: number; proposals: ListedProposal[]; hidden: number }> {
  constructor(
    readonly negotiationId: string,
    readonly status?: ProposalStatus,
    /** Who asks: a reviewer sees every proposal; a coder codes sampled items blind. */
    readonly viewer: { reviewer: boolean; name: string | null } = { reviewer: true, name: null },
  ) {
    super();
  }
}

@QueryHandler(ListProposals)
export class ListProposalsHandler implements IQueryHandler<ListProposals> {
  constructor(private readonly store: EventStore, private readonly writer: NegotiationWriter) {}

  async execute({ negotiationId, status, viewer }: ListProposals) {
    await requireExisting(this.writer, negotiationId);
    const state = await readReview(this.store, negotiationId);
    const isSampled = (item: string) => sampled(negotiationId, item, state.doubleCoding);
    const visible = viewer.reviewer ? () => true : visibleTo(state, viewer.name, isSampled);
    const matching = [...state.proposals.values()].filter((p) => !status || p.status === status);
    const proposals = matching.filter(visible).map((p) => ({ ...p, doubleCoded: citedItems(p).some(isSampled) }));
    return { required: state.required, doubleCoding: state.doubleCoding, proposals, hidden: matching.length - proposals.length };
  }
}

export class AcceptProposal extends Command<WriteOutcome & { proposal: string }> {
  constructor(
    readonly negotiationId: string,
    readonly proposalId: string,
    readonly reviewedBy: string | null,
    /** The reviewer's edit: these events enter instead of the proposal's. */
    readonly edited?: EventInput[],
  ) {
    super();
  }
}

@CommandHandler(AcceptProposal)
export class AcceptProposalHandler implements ICommandHandler<AcceptProposal> {
  constructor(private readonly store: EventStore, private readonly writer: NegotiationWriter) {}

  async execute({ negotiationId, proposalId, reviewedBy, edited }: AcceptProposal): Promise<WriteOutcome & { proposal: string }> {
    const state = await readReview(this.store, negotiationId);
    const proposal = open(state, negotiationId, proposalId);
    const events = (edited ?? proposal.events.map((e) => parseStored(e))).map((event, index) => ({
      ...event,
      // Fixed ids: an acceptance retried after a failure enters the same events once.
      id: event.id ?? uuidv5(`${proposalId}/${edited ? 'edited' : 'proposed'}/${index}`, ACCEPTED_EVENT),
    }));
    // The record's own append, with its checks on the record as it is now; recorded at acceptance.
    const outcome = await this.writer.append(negotiationId, events, 'any', undefined, { codedBy: proposal.codedBy, reviewedBy, proposal: proposalId });
    try {
      await this.store.appendToStream(
        reviewStream(negotiationId),
        [{ type: 'ProposalAccepted', occurredAt: new Date(), data: { proposal: proposalId, reviewedBy, edited: edited !== undefined, events: outcome.events.map((e) => e.id) } }],
        { expectedVersion: state.version },
      );
    } catch (error) {
      if (!(error instanceof VersionConflict)) throw error;
      // Another decision landed meanwhile: if it decided this proposal, say so.
      open(await readReview(this.store, negotiationId), negotiationId, proposalId);
      return this.execute(new AcceptProposal(negotiationId, proposalId, reviewedBy, edited));
    }
    return { ...outcome, proposal: proposalId };
  }
}

export class RejectProposal extends Command<{ proposal: string; status: 'rejected' }> {
  constructor(readonly negotiationId: string, readonly proposalId: string, readonly reviewedBy: string | null, readonly reason: string) {
    super();
  }
}

@CommandHandler(RejectProposal)
export class RejectProposalHandler implements ICommandHandler<RejectProposal> {
  constructor(private readonly store: EventStore) {}

  async execute({ negotiationId, proposalId, reviewedBy, reason }: RejectProposal) {
    const state = await readReview(this.store, negotiationId);
    open(state, negotiationId, proposalId);
    await this.store.appendToStream(
      reviewStream(negotiationId),
      [{ type: 'ProposalRejected', occurredAt: new Date(), data: { proposal: proposalId, reviewedBy, reason } }],
      { expectedVersion: state.version },
    );
    return { proposal: proposalId, status: 'rejected' as const };
  }
}

function open(state: ReviewState, negotiationId: string, id: string): Proposal {
  const proposal = state.proposals.get(id);
  if (!proposal) throw new UnknownProposal(negotiationId, id);
  if (proposal.status !== 'open') throw new ProposalDecided(proposal);
  return proposal;
}

/** A proposal's event as stored (the wire form it was checked in). */
function parseStored(raw: Record<string, unknown>): EventInput {
  const parsed = eventInputSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidRequest(parsed.error.issues.map((i) => ({ path: ['proposal', ...(i.path as (string | number)[])], message: i.message })));
  return parsed.data;
}

export const reviewHandlers = [
  SetReviewRequiredHandler,
  ReviewRequiredHandler,
  SubmitProposalHandler,
  ListProposalsHandler,
  AcceptProposalHandler,
  RejectProposalHandler,
];
