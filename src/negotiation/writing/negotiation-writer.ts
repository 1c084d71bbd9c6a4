import { VersionConflict, type ExpectedVersion } from '../../event-store/errors';
import { EventStore } from '../../event-store/event-store';
import { CommandHandler } from '../../event-store/handle-command';
import type { AppendedEvent, DecidedEvent, EventToAppend } from '../../event-store/types';
import { currentTraceparent, inSpan } from '../../shared/tracing';
import { branchFold, decideInBranch, seedOf, type BranchState } from '../domain/branch';
import { decide, negotiationFold } from '../domain/decider';
import { RuleViolation, ScenarioClosed } from '../domain/errors';
import { isScenarioEventType, scenarioInfo, type ScenarioInfo } from '../domain/scenarios';
import { newsStream, scenarioStream } from '../domain/streams';
import { UnknownScenario } from '../reading/errors';
import type { EventInput } from '../domain/requests';
import type { Path, RuleIssue } from '../domain/rules';
import type { NegotiationState } from '../domain/state';

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

/**
 * Appends a client's events to a negotiation, in the contract's order of checks:
 * idempotency, then the expected version, then the rules, event by event against the state
 * after the earlier ones. Cited news items are filled in first; the rest is the event store's
 * command handler (load, decide, append, retry: event-store/handle-command.ts) with the
 * negotiation's fold and its pure `decide`.
 */
export class NegotiationWriter {
  private readonly handler: CommandHandler<NegotiationState>;
  /** Scenario branches: each seeded with the record at its base (domain/branch.ts). */
  private readonly branches: CommandHandler<BranchState>;

  constructor(
    private readonly store: EventStore,
    private readonly citations: CitationLookup = async () => new Map(),
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.handler = new CommandHandler(store, negotiationFold);
    this.branches = new CommandHandler(store, branchFold, { seed: (streamId) => this.seedBranch(streamId) });
  }

  /**
   * Appends hypothetical events to an open scenario branch, with the record's checks against the
   * record at the branch's base and the branch's earlier events (domain/branch.ts says what a
   * branch may hold). The branch's state is loaded afresh for every command: a rebase moves its
   * seed, and no cached tip could know.
   */
  async appendToBranch(
    negotiationId: string,
    scenario: string,
    inputs: EventInput[],
    expectedVersion: ExpectedVersion = 'any',
    locate: Locate = (index) => ({ path: ['events', index] }),
    provenance: Provenance = {},
  ): Promise<WriteOutcome> {
    const streamId = scenarioStream(negotiationId, scenario);
    return appendSpan(streamId, inputs.length, async () => {
      const events = await this.prepare(inputs, locate, provenance);
      this.branches.forget(streamId);
      const result = await this.branches.handle(streamId, events, { expectedVersion, ...this.branchRules(locate) });
      return { created: result.appended > 0, ...result };
    });
  }

  /**
   * What the branch's events would break on the record as `recordAtBase` has it (nothing: it may
   * be rebased there): each is judged, in order, as if appended on that record.
   */
  async rebaseIssues(negotiationId: string, scenario: string, recordAtBase: DecidedEvent[]): Promise<RuleIssue[]> {
    const own = (await this.store.readStream(scenarioStream(negotiationId, scenario))).filter((e) => !isScenarioEventType(e.type));
    const state = seedOf(recordAtBase);
    const issues: RuleIssue[] = [];
    own.forEach((event, index) => {
      issues.push(...decideInBranch(state, event).map((found) => ({ ...found, path: ['hypothetical', index, ...found.path], message: `${event.type} ${event.id}: ${found.message}` })));
      branchFold.evolve(state, event);
    });
    return issues;
  }

  /** The branch's description, or a 404 for a negotiation that has none of that name. */
  async scenario(negotiationId: string, scenario: string): Promise<ScenarioInfo> {
    const info = scenarioInfo(await this.store.readStream(scenarioStream(negotiationId, scenario)));
    if (!info) throw new UnknownScenario(negotiationId, scenario);
    return info;
  }

  private async seedBranch(streamId: string): Promise<BranchState> {
    const [negotiationId, , scenario] = streamId.split('.') as [string, string, string];
    const info = await this.scenario(negotiationId, scenario);
    if (info.status === 'closed') throw new ScenarioClosed(negotiationId, scenario);
    return seedOf(upTo(await this.store.readStream(negotiationId), info.base));
  }

  private branchRules(locate: Locate) {
    return located((state: BranchState, event) => decideInBranch(state, event), locate);
  }

  async append(
    negotiationId: string,
    inputs: EventInput[],
    expectedVersion: ExpectedVersion = 'any',
    locate: Locate = (index) => ({ path: ['events', index] }),
    provenance: Provenance = {},
  ): Promise<WriteOutcome> {
    const dismissals = inputs.filter((input) => input.type === 'NewsItemDismissed').length;
    if (dismissals > 0) return this.dismiss(negotiationId, inputs, expectedVersion, locate, provenance, dismissals);
    return appendSpan(negotiationId, inputs.length, async () => {
      const events = await this.prepare(inputs, locate, provenance);
      const result = await this.handler.handle(negotiationId, events, { expectedVersion, ...this.rules(locate) });
      return { created: result.appended > 0, ...result };
    });
  }

  /**
   * Dismissals triage the inbox; they are not facts of the negotiation, so they go to its news
   * stream (`<nid>.news`) and never change its version: citing a version must not depend on
   * how the evidence was triaged. A request holding dismissals holds nothing else (the two
   * would land in different streams, and a request commits as one). The negotiation's rules and
   * `expectedVersion` are still judged against the negotiation; the answer's `streamVersion` is
   * the negotiation's (unchanged), each event's the news stream's.
   */
  private async dismiss(negotiationId: string, inputs: EventInput[], expectedVersion: ExpectedVersion, locate: Locate, provenance: Provenance, dismissals: number): Promise<WriteOutcome> {
    if (dismissals < inputs.length) {
      throw new RuleViolation(
        inputs.flatMap((input, index) => {
          if (input.type !== 'NewsItemDismissed') return [];
          const { path, line } = locate(index);
          return [{ code: 'NEGOTIATION.DISMISSAL_NOT_ALONE', path: [...path, 'type'], message: 'A dismissal triages the inbox and is not part of the record: send dismissals in a request of their own', ...(line === undefined ? {} : { line }) }];
        }),
      );
    }
    const news = newsStream(negotiationId);
    return appendSpan(news, inputs.length, async () => {
      const events = await this.prepare(inputs, locate, provenance);
      // The version is the one the rules were judged on: the negotiation is read once.
      const { version } = await this.handler.check(negotiationId, events, this.rules(locate));
      const conflict = expectedVersion === 'no_stream' ? version > 0 : typeof expectedVersion === 'number' && expectedVersion !== version;
      if (conflict) throw new VersionConflict(negotiationId, expectedVersion, version);
      const result = await this.store.appendPrepared(news, events);
      return { created: result.appended > 0, ...result, streamVersion: version };
    });
  }

  /**
   * Whether `inputs` could be appended now: the same citations and rules as an append, judged
   * on the negotiation as it is; throws the same RuleViolation, and writes nothing.
   */
  async check(negotiationId: string, inputs: EventInput[], locate: Locate = (index) => ({ path: ['events', index] })): Promise<void> {
    await this.handler.check(negotiationId, await this.prepare(inputs, locate, {}), this.rules(locate));
  }

  private async prepare(inputs: EventInput[], locate: Locate, provenance: Provenance) {
    const cited = await this.cite(inputs, locate);
    return this.store.prepareEvents(
      cited.map((input) => toEventToAppend(input, provenance)),
      { validated: true },
    );
  }

  private rules(locate: Locate) {
    const now = this.clock();
    return located((state: NegotiationState, event) => decide(state, event, now), locate);
  }

  /** The write-side state of a negotiation, caught up with what other writers appended. */
  stateOf(negotiationId: string): Promise<NegotiationState> {
    return this.handler.stateOf(negotiationId);
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
}

/** A stream's events up to a global position: the record as a branch's base sees it. */
export const upTo = <E extends { globalPosition: number }>(events: E[], base: number): E[] => events.filter((e) => e.globalPosition <= base);

/** A command's decide and refuse from a judge of one event: issues placed where the event sits in the request. */
function located<State>(judge: (state: State, event: DecidedEvent) => RuleIssue[], locate: Locate) {
  return {
    decide: (state: State, event: DecidedEvent, index: number) => {
      const { path, line } = locate(index);
      return judge(state, event).map((found) => ({ ...found, path: [...path, ...found.path], ...(line === undefined ? {} : { line }) }));
    },
    refuse: (issues: RuleIssue[]) => new RuleViolation(issues),
  };
}

/**
 * Who stands behind an append, set by the server (never by the request's body): the holder of
 * the key that wrote it, or the CLI's `--as`; and, once review exists, who accepted it.
 */
export interface Provenance {
  codedBy?: string | null;
  reviewedBy?: string | null;
  /** The proposal the events were accepted from (review): they cite it. */
  proposal?: string;
}

function toEventToAppend(input: EventInput, provenance: Provenance, traceparent = currentTraceparent()): EventToAppend {
  return {
    // Absent: the event store gives it one (UUIDv7), the one place ids are made.
    ...(input.id === undefined ? {} : { id: input.id }),
    type: input.type,
    data: input.data,
    occurredAt: input.occurredAt,
    // How precisely occurredAt is known travels with the event; `instant`, the default, is not stored.
    metadata: {
      ...(input.source ? { source: input.source } : {}),
      ...(input.datePrecision && input.datePrecision !== 'instant' ? { datePrecision: input.datePrecision } : {}),
      // Unnamed (null) is not stored: reads answer null either way.
      ...(provenance.codedBy ? { codedBy: provenance.codedBy } : {}),
      ...(provenance.reviewedBy ? { reviewedBy: provenance.reviewedBy } : {}),
      ...(provenance.proposal ? { proposal: provenance.proposal } : {}),
      // The append's trace (when tracing is on): projection, alert evaluation and delivery continue it.
      ...(traceparent ? { traceparent } : {}),
    },
  };
}

/** An append's span: its stream and size, and where it landed. */
function appendSpan(streamId: string, count: number, work: () => Promise<WriteOutcome>): Promise<WriteOutcome> {
  return inSpan('parley.append', { attributes: { 'parley.stream': streamId, 'parley.events': count } }, async (span) => {
    const outcome = await work();
    span.setAttributes({ 'parley.appended': outcome.appended, 'parley.stream_version': outcome.streamVersion });
    return outcome;
  });
}
