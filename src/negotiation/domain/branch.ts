import type { DecidedEvent, Fold } from '../../event-store/types';
import { asDomainEvent, CORRECTABLE } from './events';
import { checkEvent, type RuleIssue } from './rules';
import { HYPOTHETICAL, isScenarioEventType } from './scenarios';
import { draftOf, evolve, initialState, type NegotiationState } from './state';

/**
 * A scenario branch's write-side state: the record as it stood at the branch's base, then the
 * branch's own events. Its version and last event are the branch stream's (what appends to it
 * are checked against); `recordTargets` are the record's correctable events, which a branch may
 * not correct or retract.
 */
export interface BranchState extends NegotiationState {
  recordTargets: ReadonlySet<string>;
}

/** The record's events up to the base, folded: where a branch starts. */
export function seedOf(recordEvents: DecidedEvent[]): BranchState {
  const state = initialState();
  const recordTargets = new Set<string>();
  for (const event of recordEvents) {
    evolve(state, asDomainEvent(event));
    if (CORRECTABLE.has(asDomainEvent(event).type)) recordTargets.add(event.id);
  }
  return Object.assign(state, { version: 0, lastEventId: null, recordTargets });
}

export const branchFold: Fold<BranchState> = {
  initialState: () => seedOf([]),
  evolve: (state, event) => {
    if (!isScenarioEventType(event.type)) return void evolve(state, asDomainEvent(event));
    // The branch's bookkeeping moves its stream on and nothing else.
    state.version += 1;
    state.lastEventId = event.id;
  },
  draftOf: (state) => Object.assign(draftOf(state), { recordTargets: state.recordTargets }),
};

/**
 * Hypothetical events may be dated in the future ("if in June the United States accepted…"):
 * a branch judges valid time against no clock.
 */
const NO_CLOCK = new Date(8.64e15);

/** What appending `event` to the branch as `state` has it would break (nothing: it may be). */
export function decideInBranch(state: BranchState, event: DecidedEvent): RuleIssue[] {
  const domain = asDomainEvent(event);
  if (!HYPOTHETICAL.has(domain.type)) {
    return [{ code: 'SCENARIO.NOT_HYPOTHETICAL', path: ['type'], message: `${domain.type} belongs to the record: a scenario holds hypothetical positions, proposals, meetings, red lines, parties and issues` }];
  }
  if ((domain.type === 'EventCorrected' || domain.type === 'EventRetracted') && state.recordTargets.has(domain.data.target)) {
    return [{ code: 'SCENARIO.RECORD_TARGET', path: ['data', 'target'], message: `Event ${domain.data.target} is the record's: a scenario corrects or retracts only its own events (state the hypothetical position instead)` }];
  }
  return checkEvent(state, domain, NO_CLOCK);
}
