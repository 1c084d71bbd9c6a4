import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database/schema';
import type { ExpectedVersion } from '../../event-store/errors';
import { EventStore } from '../../event-store/event-store';
import type { AppendedEvent, BeforeAppendContext, EventToAppend } from '../../event-store/types';
import { RuleViolation } from '../domain/errors';
import type { NegotiationEventType } from '../domain/events';
import type { EventInput } from '../domain/requests';
import { checkEvent, type Path, type RuleIssue } from '../domain/rules';
import { cloneState, evolve, initialState, type NegotiationState } from '../domain/state';

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

const MAX_CACHED_STATES = 1000;

/**
 * Appends a client's events to a negotiation, checking in the contract's order: idempotency,
 * then the expected version, then the rules, event by event against the state after the
 * earlier ones. The rules run inside the append, under the log's lock, against the stream
 * exactly as the append extends it: no writer can slip in between, so a request without an
 * expected version never sees a conflict.
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
    const indexOf = new Map(events.map((e, i) => [e.id!, i] as const));
    const result = await this.store.appendToStream(negotiationId, events, {
      expectedVersion,
      beforeAppend: (context) => this.checkRules(context, indexOf, locate),
    });
    return { created: result.appended > 0, ...result };
  }

  /** The write-side state at the stream's current version (cached, caught up on each call). */
  async stateOf(negotiationId: string, db?: Kysely<Database>, version?: number): Promise<NegotiationState> {
    const cached = this.states.get(negotiationId);
    const base = cached && (version === undefined || cached.version <= version) ? cached : initialState();
    if (version !== undefined && base.version === version) return base;
    const store = db ? new EventStore(db, this.store.registry) : this.store;
    const newer = await store.readStream(negotiationId, { after: base.version });
    if (newer.length === 0) return base;
    const state = cloneState(base);
    for (const event of newer) evolve(state, { id: event.id, type: event.type as NegotiationEventType, data: event.data });
    if (this.states.size >= MAX_CACHED_STATES && !this.states.has(negotiationId)) this.states.delete(this.states.keys().next().value!);
    this.states.set(negotiationId, state);
    return state;
  }

  private async checkRules(
    { db, streamId, version, events }: BeforeAppendContext,
    indexOf: Map<string, number>,
    locate: Locate,
  ): Promise<void> {
    const state = cloneState(await this.stateOf(streamId, db, version));
    const now = this.clock();
    const issues: (RuleIssue & { line?: number })[] = [];
    for (const event of events) {
      const type = event.type as NegotiationEventType;
      const { path, line } = locate(indexOf.get(event.id)!);
      for (const found of checkEvent(state, { type, data: event.data, occurredAt: event.occurredAt }, now)) {
        issues.push({ ...found, path: [...path, ...found.path], ...(line === undefined ? {} : { line }) });
      }
      evolve(state, { id: event.id, type, data: event.data });
    }
    if (issues.length > 0) throw new RuleViolation(issues);
  }
}

function toEventToAppend(input: EventInput): EventToAppend {
  return {
    id: input.id ?? randomUUID(),
    type: input.type,
    data: input.data,
    occurredAt: input.occurredAt,
    metadata: input.source ? { source: input.source } : {},
  };
}
