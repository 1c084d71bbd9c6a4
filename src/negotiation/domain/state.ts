import type { EventData, FoldedEvent, NegotiationEventType } from './events';

export interface Scale {
  min: number;
  max: number;
  labels: Record<string, string>;
}

export const DEFAULT_SCALE: Scale = { min: 0, max: 100, labels: {} };

/** The part of a Map the state needs: what an overlay can offer without copying its base. */
export interface StateMap<K, V> {
  get(key: K): V | undefined;
  has(key: K): boolean;
  set(key: K, value: V): unknown;
}

/** What the rules need to know about a negotiation: the write side's state. */
export interface NegotiationState {
  version: number;
  opened: boolean;
  /** The id of the stream's last event, null before the first: what an append is checked against. */
  lastEventId: string | null;
  parties: StateMap<string, EventData['PartyAdded']>;
  issues: StateMap<string, { title: string; scale: Scale }>;
  /** Position-carrying events and recorded outcomes, by id: what a correction or retraction may target. */
  targets: StateMap<string, { type: NegotiationEventType; retracted: boolean }>;
}

export function initialState(): NegotiationState {
  return { version: 0, opened: false, lastEventId: null, parties: new Map(), issues: new Map(), targets: new Map() };
}

/** Reads fall through to the base; writes stay here until applied. */
class OverlayMap<K, V> implements StateMap<K, V> {
  private readonly own = new Map<K, V>();
  constructor(private readonly base: StateMap<K, V>) {}
  get(key: K): V | undefined {
    return this.own.has(key) ? this.own.get(key) : this.base.get(key);
  }
  has(key: K): boolean {
    return this.own.has(key) || this.base.has(key);
  }
  set(key: K, value: V): this {
    this.own.set(key, value);
    return this;
  }
  applyTo(base: StateMap<K, V>): void {
    for (const [key, value] of this.own) base.set(key, value);
  }
}

/**
 * A state the next fold may change without touching `base` (a cached state, say), at a cost
 * that follows the events folded, not the negotiation's length: reads fall through to the
 * base, writes stay in the draft. `apply()` writes the draft into the base.
 */
export function draftOf(base: NegotiationState): NegotiationState & { apply(): void } {
  const parties = new OverlayMap(base.parties);
  const issues = new OverlayMap(base.issues);
  const targets = new OverlayMap(base.targets);
  const draft = {
    version: base.version,
    opened: base.opened,
    lastEventId: base.lastEventId,
    parties,
    issues,
    targets,
    apply() {
      parties.applyTo(base.parties);
      issues.applyTo(base.issues);
      targets.applyTo(base.targets);
      Object.assign(base, { version: draft.version, opened: draft.opened, lastEventId: draft.lastEventId });
    },
  };
  return draft;
}

/**
 * Folds one event into the state. It changes `state` in place and returns it: callers fold
 * into a state they own (see draftOf), which keeps a long fold linear.
 */
export function evolve(state: NegotiationState, event: FoldedEvent): NegotiationState {
  state.version += 1;
  state.lastEventId = event.id;
  switch (event.type) {
    case 'NegotiationOpened':
      state.opened = true;
      break;
    case 'PartyAdded':
      state.parties.set(event.data.party, event.data);
      break;
    case 'IssueDefined': {
      const { scale } = event.data;
      state.issues.set(event.data.issue, { title: event.data.title, scale: scale ? { ...scale, labels: scale.labels ?? {} } : DEFAULT_SCALE });
      break;
    }
    case 'EventRetracted': {
      const known = state.targets.get(event.data.target);
      if (known) state.targets.set(event.data.target, { ...known, retracted: true });
      break;
    }
    // What corrections and retractions may target (CORRECTABLE; a correction itself is not one).
    case 'OutcomeRecorded':
    case 'PositionStated':
    case 'ProposalTabled':
    case 'MeetingHeld':
    case 'PositionWithdrawn':
    case 'RedLineDeclared':
      state.targets.set(event.id, { type: event.type, retracted: false });
      break;
    case 'EventCorrected':
    case 'NewsItemDismissed':
      break;
    default:
      return unreachable(event);
  }
  return state;
}

/** A new event type fails tsc here until evolve says what it changes. */
function unreachable(event: never): never {
  throw new Error(`No fold for ${(event as { type: string }).type}`);
}
