import type { DecidedEvent, Fold } from '../../event-store/types';
import { asDomainEvent } from './events';
import { checkEvent, type RuleIssue } from './rules';
import { draftOf, evolve, initialState, type NegotiationState } from './state';

/** How a negotiation's write-side state is built, for the event store's command handler. */
export const negotiationFold: Fold<NegotiationState> = {
  initialState,
  evolve: (state, event) => void evolve(state, asDomainEvent(event)),
  draftOf,
};

/**
 * decide: what appending `event` to the negotiation as `state` has it would break (nothing: it
 * may be appended). Pure: the state is read, never changed (the handler folds the event in).
 */
export function decide(state: NegotiationState, event: DecidedEvent, now: Date): RuleIssue[] {
  return checkEvent(state, asDomainEvent(event), now);
}
