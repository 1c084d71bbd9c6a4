import { v7 as uuidv7 } from 'uuid';
import type { ExpectedVersion } from '../../event-store/errors';
import { StaleAppend } from '../../event-store/errors';
import { EventStore } from '../../event-store/event-store';
import type { AppendedEvent, AppendResult, EventToAppend } from '../../event-store/types';
import type { PreparedEvent } from '../../event-store/idempotency';
import { runAtOnce, runPaced } from '../../shared/paced';
import { RuleViolation } from '../domain/errors';
import type { NegotiationEventType } from '../domain/events';
import type { EventInput } from '../domain/requests';
import { checkEvent, type Path, type RuleIssue } from '../domain/rules';
import { draftOf, evolve, initialState, type NegotiationState } from '../domain/state';

export interface WriteOutcome {
  /** False when every event was already stored: a retry, answered with the original positions. */
  created: boolean;
  streamVersion: number;
  events: AppendedEvent[];
  appended: number;
  skipped: number;
}

/**
 * What the news context knows of cited items: an item's url, publisher and publishedAt, or
 * nothing for an unknown one. Given by app.module's composition (negotiation imports no context).
 */
export type CitationLookup = (itemIds: string[]) => Promise<Map<string, { url: string | null; publisher: string | null; publishedAt: string | null }>>;

/** A provider of citations: the class app.module names in NegotiationModule.forRoot. */
export interface CitationSource {
  lookup: CitationLookup;
}

/** Where an event of the request sits, for error paths: `events.3` or line 7 of a file. */
export type Locate = (index: number) => { path: Path; line?: number };

const MAX_CACHED_STATES = 1000;
/** Re-checks after another writer moved the stream on; each is one more round trip. */
const MAX_ATTEMPTS = 50;
/** A base no stream has: the append only reports idempotency and version, and writes nothing. */
const PROBE = { version: -1, lastEventId: null };
/** Batches this large are checked in slices that let other requests run (an import of 130k lines took seconds of CPU). */
const PACED_CHECK_FROM = 2000;

/**
 * Appends a client's events to a negotiation, in the contract's order of checks:
 * idempotency, then the expected version, then the rules, event by event against the state
 * after the earlier ones.
 *
 * The rules run here, outside the log's lock, against a cached write-side state per stream
 * (its "tip": what this process has appended or seen, including appends still in flight). The
 * append then says "the stream must be at the version these rules saw, after that event"; if
 * another writer got there first the store answers StaleAppend, and the request is checked
 * again against the fresh state. A caller that sent no expected version therefore never sees
 * a conflict, and many writers on one stream in one process never conflict at all: each is
 * checked against the tip the earlier ones left, and they go out in one group commit.
 */
export class NegotiationWriter {
  private readonly tips = new Map<string, NegotiationState>();
  private readonly loading = new Map<string, Promise<NegotiationState>>();
  /** Streams whose tip a paced (large) check is using: other writes to them wait for it. */
  private readonly checking = new Map<string, Promise<void>>();

  constructor(
    private readonly store: EventStore,
    private readonly citations: CitationLookup = async () => new Map(),
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async append(
    negotiationId: string,
    inputs: EventInput[],
    expectedVersion: ExpectedVersion = 'any',
    locate: Locate = (index) => ({ path: ['events', index] }),
  ): Promise<WriteOutcome> {
    const events = await this.store.prepareEvents((await this.cite(inputs, locate)).map(toEventToAppend));
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.attempt(negotiationId, events, expectedVersion, locate);
        return { created: result.appended > 0, ...result };
      } catch (error) {
        if (!(error instanceof StaleAppend) || attempt === MAX_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Events citing a news item (`source.itemId`) get the item's url, publisher and publishedAt
   * where they give none; a dismissal names its item. An unknown item is a rule violation.
   */
  private async cite(inputs: EventInput[], locate: Locate): Promise<EventInput[]> {
    const cited = (input: EventInput) => (input.type === 'NewsItemDismissed' ? (input.data as { item: string }).item : input.source?.itemId);
    const ids = [...new Set(inputs.flatMap((i) => cited(i) ?? []))];
    if (ids.length === 0) return inputs;
    const items = await this.citations(ids);
    const issues: (RuleIssue & { line?: number })[] = [];
    const filled = inputs.map((input, index) => {
      const id = cited(input);
      if (id === undefined) return input;
      const item = items.get(id);
      if (!item) {
        const { path, line } = locate(index);
        const where = input.type === 'NewsItemDismissed' ? ['data', 'item'] : ['source', 'itemId'];
        issues.push({ code: 'NEGOTIATION.UNKNOWN_NEWS_ITEM', path: [...path, ...where], message: `No news item ${id}`, ...(line === undefined ? {} : { line }) });
        return input;
      }
      if (input.type === 'NewsItemDismissed') return input;
      const fill = { ...(item.url ? { url: item.url } : {}), ...(item.publisher ? { publisher: item.publisher } : {}), ...(item.publishedAt ? { publishedAt: item.publishedAt } : {}) };
      return { ...input, source: { ...fill, ...input.source } };
    });
    if (issues.length > 0) throw new RuleViolation(issues);
    return filled;
  }

  /** The write-side state of a negotiation, caught up with what other writers appended. */
  async stateOf(negotiationId: string): Promise<NegotiationState> {
    const tip = await this.tipOf(negotiationId);
    for (const event of await this.store.readStream(negotiationId, { after: tip.version })) {
      evolve(tip, { id: event.id, type: event.type as NegotiationEventType, data: event.data });
    }
    return tip;
  }

  /** The state appends are checked against: loaded once, then kept up by this process. */
  private async tipOf(negotiationId: string): Promise<NegotiationState> {
    return this.tips.get(negotiationId) ?? (await this.load(negotiationId));
  }

  private async attempt(negotiationId: string, events: PreparedEvent[], expectedVersion: ExpectedVersion, locate: Locate): Promise<AppendResult> {
    // A large batch's checks pause for other requests (paced): while they run, no other write
    // to this stream may move its tip, so later writers wait here for them.
    for (let busy = this.checking.get(negotiationId); busy; busy = this.checking.get(negotiationId)) await busy;
    const tip = await this.tipOf(negotiationId);
    if (this.checking.has(negotiationId)) return this.attempt(negotiationId, events, expectedVersion, locate);
    const paced = events.length >= PACED_CHECK_FROM;
    let done = () => {};
    if (paced) this.checking.set(negotiationId, new Promise<void>((resolve) => (done = resolve)));
    try {
      return await this.checkAndSubmit(negotiationId, tip, events, expectedVersion, locate, paced);
    } finally {
      if (paced) {
        this.checking.delete(negotiationId);
        done();
      }
    }
  }

  private async checkAndSubmit(negotiationId: string, tip: NegotiationState, events: PreparedEvent[], expectedVersion: ExpectedVersion, locate: Locate, paced: boolean): Promise<AppendResult> {
    // Unpaced, from here to the submit there is no await at all (not even on a value): no other
    // request can check against this tip before this one's draft is applied to it. Paced, the
    // stream waits for this check (see attempt).
    const indexed = events.map((event, index) => ({ event, index }));
    let checked = paced ? await runPaced(this.check(tip, indexed, locate)) : runAtOnce(this.check(tip, indexed, locate));
    if (checked.issues.length > 0) {
      // Already-stored events (a retry, or a file imported again with new lines) are not
      // judged again: judge what is new, if anything.
      const stored = await this.store.storedIds(events.map((e) => e.id));
      if (stored.size === 0) return this.refuse(negotiationId, events, expectedVersion, checked);
      const latest = await this.tipOf(negotiationId);
      const fresh = indexed.filter(({ event }) => !stored.has(event.id));
      checked = paced ? await runPaced(this.check(latest, fresh, locate)) : runAtOnce(this.check(latest, fresh, locate));
      if (checked.issues.length > 0) return this.refuse(negotiationId, events, expectedVersion, checked);
    }
    const { draft, base } = checked;
    draft.apply();
    try {
      const result = await this.store.appendPrepared(negotiationId, events, { expectedVersion, base });
      // Some events turned out to be stored already: the tip counted them twice.
      if (result.streamVersion !== draft.version) this.tips.delete(negotiationId);
      return result;
    } catch (error) {
      // The tip assumed this append: it is wrong now, and so is every append checked on it
      // (those fail as stale and are checked again).
      this.tips.delete(negotiationId);
      throw error;
    }
  }

  /** Judges `judged` (events with their index in the request) against a draft over `state`, a step per event. */
  private *check(state: NegotiationState, judged: { event: PreparedEvent; index: number }[], locate: Locate) {
    const base = { version: state.version, lastEventId: state.lastEventId };
    const draft = draftOf(state);
    const now = this.clock();
    const issues: (RuleIssue & { line?: number })[] = [];
    for (const { event, index } of judged) {
      const type = event.type as NegotiationEventType;
      const { path, line } = locate(index);
      for (const found of checkEvent(draft, { type, data: event.data, occurredAt: event.occurredAt }, now)) {
        issues.push({ ...found, path: [...path, ...found.path], ...(line === undefined ? {} : { line }) });
      }
      evolve(draft, { id: event.id, type, data: event.data });
      yield;
    }
    return { draft, base, issues };
  }

  /**
   * A rule is broken, judged on the cached tip. The contract checks idempotency and the expected
   * version first: a probe append (which can write nothing) answers those, and tells the
   * stream's version. Only if the tip was that version is this a 422: a tip behind the stream
   * (another instance, or the CLI, appended) may lack the very party or issue the event names,
   * so it is dropped and the request judged again on the stream as it is.
   */
  private async refuse(negotiationId: string, events: PreparedEvent[], expectedVersion: ExpectedVersion, checked: { base: { version: number }; issues: RuleIssue[] }): Promise<AppendResult> {
    try {
      return await this.store.appendPrepared(negotiationId, events, { expectedVersion, base: PROBE });
    } catch (error) {
      if (!(error instanceof StaleAppend)) throw error;
      if (error.actual === checked.base.version) throw new RuleViolation(checked.issues);
      this.tips.delete(negotiationId);
      throw error;
    }
  }

  private async load(negotiationId: string): Promise<NegotiationState> {
    const pending = this.loading.get(negotiationId);
    if (pending) return pending;
    const loading = (async () => {
      const state = initialState();
      for (const event of await this.store.readStream(negotiationId)) evolve(state, { id: event.id, type: event.type as NegotiationEventType, data: event.data });
      if (this.tips.size >= MAX_CACHED_STATES) this.tips.delete(this.tips.keys().next().value!);
      this.tips.set(negotiationId, state);
      return state;
    })();
    this.loading.set(negotiationId, loading);
    try {
      return await loading;
    } finally {
      this.loading.delete(negotiationId);
    }
  }
}

function toEventToAppend(input: EventInput): EventToAppend {
  return {
    // Time-ordered (UUIDv7): a new id lands at the right edge of the id index, not on a random
    // page (the id lookups and inserts of parley_append touch fewer pages; BENCHMARKS.md).
    id: input.id ?? uuidv7(),
    type: input.type,
    data: input.data,
    occurredAt: input.occurredAt,
    // How precisely occurredAt is known travels with the event; `instant`, the default, is not stored.
    metadata: {
      ...(input.source ? { source: input.source } : {}),
      ...(input.datePrecision && input.datePrecision !== 'instant' ? { datePrecision: input.datePrecision } : {}),
    },
  };
}
