import { randomUUID } from 'node:crypto';
import { VersionConflict, type ExpectedVersion } from '../event-store/errors';
import type { EventStore } from '../event-store/event-store';
import type { AppendedEvent, EventToAppend } from '../event-store/types';
import { RuleViolation } from './errors';
import type { NegotiationEventType } from './events';
import type { EventInput } from './requests';
import { checkEvent, type Path, type RuleIssue } from './rules';
import { cloneState, evolve, initialState, type NegotiationState } from './state';

export interface WriteOutcome {
  /** False when every event was already stored: a retry, answered with the original positions. */
  created: boolean;
  streamVersion: number;
  events: AppendedEvent[];
  appended: number;
  skipped: number;
}

/** Where an event of the request sits, for error paths: `events.3` or line 7 of a file. */
export type Locate = (index: number) => { path: Path; line?: number };

const MAX_ATTEMPTS = 5;
const MAX_CACHED_STATES = 1000;

/**
 * Appends a client's events to a negotiation, checking in the contract's order: idempotency,
 * then the expected version, then the rules, event by event against the state after the
 * earlier ones. The rules are judged against the version we read, and the append expects that
 * version, so a concurrent writer cannot slip an unchecked state in between: we re-check.
 */
export class NegotiationWriter {
  private readonly states = new Map<string, NegotiationState>();

  constructor(
    private readonly store: EventStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async append(
    negotiationId: string,
    inputs: EventInput[],
    expectedVersion: ExpectedVersion = 'any',
    locate: Locate = (index) => ({ path: ['events', index] }),
  ): Promise<WriteOutcome> {
    const events = inputs.map(toEventToAppend);
    for (let attempt = 1; ; attempt++) {
      const known = await this.store.findStored(negotiationId, events);
      if (events.every((event) => known.has(event.id!))) {
        return {
          created: false,
          streamVersion: await this.store.streamVersion(negotiationId),
          events: events.map((event) => known.get(event.id!)!),
          appended: 0,
          skipped: events.length,
        };
      }
      const state = await this.stateOf(negotiationId);
      const wanted = expectedVersion === 'no_stream' ? 0 : expectedVersion;
      if (wanted !== 'any' && wanted !== state.version) {
        throw new VersionConflict(negotiationId, expectedVersion, state.version);
      }
      this.checkRules(state, events, known, locate);
      try {
        const result = await this.store.appendToStream(negotiationId, events, { expectedVersion: state.version });
        return { created: result.appended > 0, ...result };
      } catch (error) {
        if (!(error instanceof VersionConflict)) throw error;
        // Someone appended between our read and our write.
        if (expectedVersion !== 'any') throw new VersionConflict(negotiationId, expectedVersion, error.actual);
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** The write-side state at the stream's current version (cached, caught up on each call). */
  async stateOf(negotiationId: string): Promise<NegotiationState> {
    const cached = this.states.get(negotiationId) ?? initialState();
    const newer = await this.store.readStream(negotiationId, { after: cached.version });
    if (newer.length === 0) return cached;
    const state = cloneState(cached);
    for (const event of newer) evolve(state, { id: event.id, type: event.type as NegotiationEventType, data: event.data });
    if (this.states.size >= MAX_CACHED_STATES) this.states.delete(this.states.keys().next().value!);
    this.states.set(negotiationId, state);
    return state;
  }

  private checkRules(
    current: NegotiationState,
    events: EventToAppend[],
    known: Map<string, AppendedEvent>,
    locate: Locate,
  ): void {
    const state = cloneState(current);
    const now = this.clock();
    const issues: (RuleIssue & { line?: number })[] = [];
    const seen = new Set<string>();
    events.forEach((event, index) => {
      if (known.has(event.id!) || seen.has(event.id!)) return;
      seen.add(event.id!);
      const type = event.type as NegotiationEventType;
      const { path, line } = locate(index);
      for (const found of checkEvent(state, { type, data: event.data, occurredAt: event.occurredAt }, now)) {
        issues.push({ ...found, path: [...path, ...found.path], ...(line === undefined ? {} : { line }) });
      }
      evolve(state, { id: event.id!, type, data: event.data });
    });
    if (issues.length > 0) throw new RuleViolation(issues);
  }
}

function toEventToAppend(input: EventInput): EventToAppend {
  return {
    // Generated once per request, so a retry inside append() keeps the same ids.
    id: input.id ?? randomUUID(),
    type: input.type,
    data: input.data,
    occurredAt: input.occurredAt,
    metadata: input.source ? { source: input.source } : {},
  };
}
