import { createHash } from 'node:crypto';
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
  /** The share of news items sampled for double coding (blind). */
  doubleCoding: number;
  proposals: Map<string, Proposal>;
  version: number;
}

/** The review stream folded: the requirement as last set, and every proposal in order. */
export function reviewState(events: StoredEvent[]): ReviewState {
  const state: ReviewState = { required: false, doubleCoding: 0, proposals: new Map(), version: 0 };
  for (const event of events) {
    state.version = event.streamVersion;
    const at = event.recordedAt.toISOString();
    switch (event.type) {
      case 'ReviewRequirementSet': {
        const data = event.data as ReviewEventData['ReviewRequirementSet'];
        state.required = data.required;
        state.doubleCoding = data.doubleCoding ?? 0;
        break;
      }
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

/** The news items a proposal's events cite (source.itemId). */
export const citedItems = (proposal: Proposal): string[] =>
  [...new Set(proposal.events.flatMap((e) => ((e.source as { itemId?: string } | undefined)?.itemId ? [(e.source as { itemId: string }).itemId] : [])))];

/**
 * Whether a news item is sampled for double coding at `share`: a fixed draw per (negotiation,
 * item), the first 32 bits of SHA-256 against the share, so every instance and every later
 * read samples the same items, and raising the share only adds items.
 */
export function sampled(negotiationId: string, itemId: string, share: number): boolean {
  if (share <= 0) return false;
  if (share >= 1) return true;
  return parseInt(createHash('sha256').update(`${negotiationId}/${itemId}`).digest('hex').slice(0, 8), 16) / 2 ** 32 < share;
}

/**
 * Blind double coding: a coder sees another coder's open proposal on a sampled item only once
 * they have submitted their own on that item. Decided proposals, proposals on items not sampled
 * and the viewer's own are visible; reviewers (admins) see everything.
 */
export function visibleTo(state: ReviewState, viewer: string | null, isSampled: (itemId: string) => boolean): (proposal: Proposal) => boolean {
  const codedByViewer = new Set<string>();
  for (const p of state.proposals.values()) if (viewer !== null && p.codedBy === viewer) for (const item of citedItems(p)) codedByViewer.add(item);
  return (proposal) =>
    proposal.status !== 'open' ||
    (viewer !== null && proposal.codedBy === viewer) ||
    citedItems(proposal).every((item) => !isSampled(item) || codedByViewer.has(item));
}
