import { StaleAppend, type ExpectedVersion } from './errors';
import type { EventStore } from './event-store';
import type { PreparedEvent } from './idempotency';
import type { AppendResult, Fold, StreamState } from './types';
import { runAtOnce, runPaced } from '../shared/paced';

/**
 * One command: append `events` to a stream if each keeps the rules against the state after the
 * ones before it. `decide` names what an event would break (nothing: it may be appended);
 * `refuse` turns what was found into the error the caller answers with.
 *
 * `decide` must refuse an event the state already holds whose fold would change the state
 * again (the negotiation's rules do: a party added twice, an issue defined twice): a command
 * is first decided whole, with no round trip to ask which of its events are stored, and only a
 * refusal makes the handler set stored ones aside and decide on what is new.
 */
export interface Command<State, Issue> {
  expectedVersion?: ExpectedVersion;
  decide(state: State, event: PreparedEvent, index: number): Issue[];
  refuse(issues: Issue[]): Error;
}

export interface HandlerOptions<State = unknown> {
  /** Streams whose state stays cached (the oldest is dropped first). */
  maxCached?: number;
  /** Re-decisions after another writer moved the stream on; each is one more round trip. */
  maxAttempts?: number;
  /** Batches this large are decided in slices that let other requests run. */
  pacedFrom?: number;
  /**
   * The state a stream's own events are folded onto (the fold's initialState by default): a
   * scenario branch starts from the record as it stood at its base. Its version and last event
   * must be the empty stream's (0, null): they are the stream's, which appends are checked against.
   */
  seed?: (streamId: string) => Promise<State>;
}

/** What the handler needs of an event store (an in-memory one in unit specs). */
export type CommandStore = Pick<EventStore, 'readStream' | 'appendPrepared' | 'storedIds'>;

/** A base no stream has: the append only reports idempotency and version, and writes nothing. */
const PROBE = { version: -1, lastEventId: null };

/**
 * Load, decide, append, retry (Emmett's handleCommand, with the state kept between commands).
 *
 * The decision runs outside the log's lock, against a cached state per stream (its "tip": what
 * this process appended or read, appends still in flight included). The append then says "the
 * stream must be at the version the decision saw, ending with that event"; if another writer got
 * there first the store answers StaleAppend, the tip is dropped and the command decided again on
 * the stream as it is. A caller that sent no expected version therefore never sees a conflict,
 * and many writers on one stream in one process never conflict at all: each decides on the tip
 * the earlier ones left, and they go out in one group commit.
 *
 * The contract's order of checks holds: idempotency and the expected version come before the
 * rules. A refused decision is confirmed by a probe append (which can write nothing) before it
 * is answered, and events already stored (a retry) are not judged again.
 */
export class CommandHandler<State extends StreamState> {
  private readonly tips = new Map<string, State>();
  private readonly loading = new Map<string, Promise<State>>();
  /** Streams whose tip a paced (large) decision is using: other commands on them wait for it. */
  private readonly deciding = new Map<string, Promise<void>>();
  private readonly maxCached: number;
  private readonly maxAttempts: number;
  private readonly pacedFrom: number;
  private readonly seed: ((streamId: string) => Promise<State>) | undefined;

  constructor(
    private readonly store: CommandStore,
    private readonly fold: Fold<State>,
    options: HandlerOptions<State> = {},
  ) {
    this.maxCached = options.maxCached ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 50;
    this.pacedFrom = options.pacedFrom ?? 2000;
    this.seed = options.seed;
  }

  /** Drops the stream's cached state: the next command loads it afresh (a seed that moved). */
  forget(streamId: string): void {
    this.tips.delete(streamId);
  }

  async handle<Issue>(streamId: string, events: PreparedEvent[], command: Command<State, Issue>): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(streamId, events, command);
      } catch (error) {
        if (!(error instanceof StaleAppend) || attempt === this.maxAttempts) throw error;
      }
    }
  }

  /** The stream's state, caught up with what other writers appended. */
  async stateOf(streamId: string): Promise<State> {
    const tip = await this.tipOf(streamId);
    for (const event of await this.store.readStream(streamId, { after: tip.version })) this.fold.evolve(tip, event);
    return tip;
  }

  /**
   * Decides `events` on the stream as it is now and throws the command's refusal if a rule
   * would be broken; appends nothing (a proposal is checked so when submitted, and decided
   * again, on the stream as it is then, when accepted). Returns the state it judged on.
   */
  async check<Issue>(streamId: string, events: PreparedEvent[], command: Pick<Command<State, Issue>, 'decide' | 'refuse'>): Promise<State> {
    const state = await this.stateOf(streamId);
    const { issues } = runAtOnce(this.decide(state, events.map((event, index) => ({ event, index })), command));
    if (issues.length > 0) throw command.refuse(issues);
    return state;
  }

  private async tipOf(streamId: string): Promise<State> {
    return this.tips.get(streamId) ?? (await this.load(streamId));
  }

  private async attempt<Issue>(streamId: string, events: PreparedEvent[], command: Command<State, Issue>): Promise<AppendResult> {
    // A large decision pauses for other requests (paced): while it runs, no other command on
    // this stream may move its tip, so later ones wait here for it.
    for (let busy = this.deciding.get(streamId); busy; busy = this.deciding.get(streamId)) await busy;
    const tip = await this.tipOf(streamId);
    if (this.deciding.has(streamId)) return this.attempt(streamId, events, command);
    const paced = events.length >= this.pacedFrom;
    let done = () => {};
    if (paced) this.deciding.set(streamId, new Promise<void>((resolve) => (done = resolve)));
    try {
      return await this.decideAndAppend(streamId, tip, events, command, paced);
    } finally {
      if (paced) {
        this.deciding.delete(streamId);
        done();
      }
    }
  }

  private async decideAndAppend<Issue>(streamId: string, tip: State, events: PreparedEvent[], command: Command<State, Issue>, paced: boolean): Promise<AppendResult> {
    // Unpaced, from here to the append there is no await at all (not even on a value): no other
    // command can decide on this tip before this one's draft is applied to it.
    const indexed = events.map((event, index) => ({ event, index }));
    const run = <T>(steps: Generator<void, T>) => (paced ? runPaced(steps) : Promise.resolve(runAtOnce(steps)));
    let decided = paced ? await run(this.decide(tip, indexed, command)) : runAtOnce(this.decide(tip, indexed, command));
    if (decided.issues.length > 0) {
      // Already-stored events (a retry, or a file imported again with new lines) are not
      // judged again: judge what is new, if anything.
      const stored = await this.store.storedIds(events.map((e) => e.id));
      if (stored.size === 0) return this.refuse(streamId, events, command, decided);
      const fresh = indexed.filter(({ event }) => !stored.has(event.id));
      decided = await run(this.decide(await this.tipOf(streamId), fresh, command));
      if (decided.issues.length > 0) return this.refuse(streamId, events, command, decided);
    }
    const { draft, base } = decided;
    draft.apply();
    try {
      const result = await this.store.appendPrepared(streamId, events, { expectedVersion: command.expectedVersion ?? 'any', base });
      // Some events turned out to be stored already: the tip counted them twice.
      if (result.streamVersion !== draft.version) this.tips.delete(streamId);
      return result;
    } catch (error) {
      // The tip assumed this append: it is wrong now, and so is every append decided on it
      // (those fail as stale and are decided again).
      this.tips.delete(streamId);
      throw error;
    }
  }

  /** Decides `judged` (events with their index in the command) on a draft over `state`, a step per event. */
  private *decide<Issue>(state: State, judged: { event: PreparedEvent; index: number }[], command: Pick<Command<State, Issue>, 'decide'>) {
    const base = { version: state.version, lastEventId: state.lastEventId };
    const draft = this.fold.draftOf(state);
    const issues: Issue[] = [];
    for (const { event, index } of judged) {
      issues.push(...command.decide(draft, event, index));
      this.fold.evolve(draft, event);
      yield;
    }
    return { draft, base, issues };
  }

  /**
   * A rule is broken, judged on the cached tip. The contract checks idempotency and the expected
   * version first: a probe append answers those, and tells the stream's version. Only if the tip
   * was that version is the refusal answered: a tip behind the stream (another instance, or the
   * CLI, appended) may lack the very thing the event names, so it is dropped and decided again.
   */
  private async refuse<Issue>(streamId: string, events: PreparedEvent[], command: Command<State, Issue>, decided: { base: StreamState; issues: Issue[] }): Promise<AppendResult> {
    try {
      return await this.store.appendPrepared(streamId, events, { expectedVersion: command.expectedVersion ?? 'any', base: PROBE });
    } catch (error) {
      if (!(error instanceof StaleAppend)) throw error;
      if (error.actual === decided.base.version) throw command.refuse(decided.issues);
      this.tips.delete(streamId);
      throw error;
    }
  }

  private async load(streamId: string): Promise<State> {
    const pending = this.loading.get(streamId);
    if (pending) return pending;
    const loading = (async () => {
      const state = this.seed ? await this.seed(streamId) : this.fold.initialState();
      for (const event of await this.store.readStream(streamId)) this.fold.evolve(state, event);
      if (this.tips.size >= this.maxCached) this.tips.delete(this.tips.keys().next().value!);
      this.tips.set(streamId, state);
      return state;
    })();
    this.loading.set(streamId, loading);
    try {
      return await loading;
    } finally {
      this.loading.delete(streamId);
    }
  }
}
