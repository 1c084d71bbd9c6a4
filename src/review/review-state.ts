import type { StoredEvent } from '../event-store/types';
import type { ReviewEventData } from './review-events';

export type ProposalStatus = 'open' | 'accepted' | 'rejected';

export interface Proposal {
  id: string;
  status: ProposalStatus;
  codedBy: string | null;
  submittedAt: string;
  events: Record<string, unknown>[];
  reviewedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  edited: boolean;
  /** The events that entered the negotiation (accepted only). */
  accepted: string[];
}

export interface ReviewState {
  required: boolean;
  proposals: Map<string, Proposal>;
  version: number;
}

/** The review stream folded: the requirement as last set, and every proposal in order. */
export function reviewState(events: StoredEvent[]): ReviewState {
  const state: ReviewState = { required: false, proposals: new Map(), version: 0 };
  for (const event of events) {
    state.version = event.streamVersion;
    const at = event.recordedAt.toISOString();
    switch (event.type) {
      case 'ReviewRequirementSet':
        state.required = (event.data as ReviewEventData['ReviewRequirementSet']).required;
        break;
      case 'ProposalSubmitted': {
        const data = event.data as ReviewEventData['ProposalSubmitted'];
        state.proposals.set(event.id, {
          id: event.id, status: 'open', codedBy: data.codedBy, submittedAt: at, events: data.events,
          reviewedBy: null, decidedAt: null, reason: null, edited: false, accepted: [],
        });
        break;
      }
      case 'ProposalAccepted': {
        const data = event.data as ReviewEventData['ProposalAccepted'];
        const proposal = state.proposals.get(data.proposal);
        if (proposal) Object.assign(proposal, { status: 'accepted', reviewedBy: data.reviewedBy, decidedAt: at, edited: data.edited, accepted: data.events });
        break;
      }
      case 'ProposalRejected': {
        const data = event.data as ReviewEventData['ProposalRejected'];
        const proposal = state.proposals.get(data.proposal);
        if (proposal) Object.assign(proposal, { status: 'rejected', reviewedBy: data.reviewedBy, decidedAt: at, reason: data.reason });
        break;
      }
    }
  }
  return state;
}
