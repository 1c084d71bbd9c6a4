import { POSITION_CARRYING, type EventData, type NegotiationEventType } from './events';

export interface Scale {
  min: number;
  max: number;
  labels: Record<string, string>;
}

export const DEFAULT_SCALE: Scale = { min: 0, max: 100, labels: {} };

/** What the rules need to know about a negotiation: the write side's state. */
export interface NegotiationState {
  version: number;
  opened: boolean;
  parties: Map<string, EventData['PartyAdded']>;
  issues: Map<string, { title: string; scale: Scale }>;
  /** Position-carrying events, by id: what a correction or retraction may target. */
  targets: Map<string, { type: NegotiationEventType; retracted: boolean }>;
}

export interface EventForState {
  id: string;
  type: NegotiationEventType;
  data: unknown;
}

export function initialState(): NegotiationState {
  return { version: 0, opened: false, parties: new Map(), issues: new Map(), targets: new Map() };
}

/** A copy the next fold may change without touching the original (a cached state, say). */
export function cloneState(state: NegotiationState): NegotiationState {
  return {
    ...state,
    parties: new Map(state.parties),
    issues: new Map(state.issues),
    targets: new Map(state.targets),
  };
}

/**
 * Folds one event into the state. It changes `state` in place and returns it: callers fold
 * into a state they own (see cloneState), which keeps a long fold linear.
 */
export function evolve(state: NegotiationState, event: EventForState): NegotiationState {
  state.version += 1;
  switch (event.type) {
    case 'NegotiationOpened':
      state.opened = true;
      break;
    case 'PartyAdded': {
      const data = event.data as EventData['PartyAdded'];
      state.parties.set(data.party, data);
      break;
    }
    case 'IssueDefined': {
      const data = event.data as EventData['IssueDefined'];
      const scale = data.scale ? { ...data.scale, labels: data.scale.labels ?? {} } : DEFAULT_SCALE;
      state.issues.set(data.issue, { title: data.title, scale });
      break;
    }
    case 'EventRetracted': {
      const { target } = event.data as EventData['EventRetracted'];
      const known = state.targets.get(target);
      if (known) state.targets.set(target, { ...known, retracted: true });
      break;
    }
    default:
      // What corrections and retractions may target (a correction itself is not one).
      if (POSITION_CARRYING.has(event.type)) state.targets.set(event.id, { type: event.type, retracted: false });
  }
  return state;
}
