import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { VersionConflict, type ExpectedVersion } from '../event-store/errors';
import { EventStore } from '../event-store/event-store';
import type { StoredEvent } from '../event-store/types';
import { requireNegotiation, RuleViolation, ScenarioClosed, ScenarioExists } from '../negotiation/domain/errors';
import type { EventInput } from '../negotiation/domain/requests';
import type { ScenarioEventData, ScenarioInfo } from '../negotiation/domain/scenarios';
import { scenarioStream } from '../negotiation/domain/streams';
import { NegotiationWriter, upTo, type WriteOutcome } from '../negotiation/writing/negotiation-writer';
import { InvalidRequest } from '../shared/domain-error';
import { listScenarios } from './scenarios.queries';
import { Inject } from '@nestjs/common';
import { DATABASE } from '../database/database.module';
import type { DatabaseConnection } from '../database/connection';

/** Where a branch starts, as asked: a global position, or an instant (a date: the end of that day). */
export type From = number | Date;

/** The record's base for `from`: the log's position and, for a date, the valid-time cut. */
function baseOf(record: StoredEvent[], from: From | undefined): { base: number; until: string | null } {
  const last = (events: StoredEvent[]) => events.reduce((highest, e) => Math.max(highest, e.globalPosition), 0);
  if (typeof from === 'number') {
    const base = last(upTo(record, from));
    if (base === 0) throw new InvalidRequest([{ path: ['from'], message: `The record has no event at or before position ${from}` }]);
    return { base, until: null };
  }
  return { base: last(record), until: from === undefined ? null : from.toISOString() };
}

/** `from` as the branch keeps it: the position, or the instant asked for. */
const askedFrom = (from: From | undefined) => (from === undefined ? null : typeof from === 'number' ? from : from.toISOString());

/**
 * Records one of the branch's bookkeeping events, the stream being at `expectedVersion` (the
 * version its state was read at, or no stream for a new branch), and answers the branch as it
 * now stands.
 */
async function bookkeep<T extends keyof ScenarioEventData>(
  store: EventStore,
  writer: NegotiationWriter,
  negotiationId: string,
  name: string,
  type: T,
  data: ScenarioEventData[T],
  expectedVersion: ExpectedVersion,
): Promise<ScenarioInfo> {
  await store.appendToStream(scenarioStream(negotiationId, name), [{ type, occurredAt: new Date(), data }], { expectedVersion });
  return writer.scenario(negotiationId, name);
}

/** An open branch's description; 404 for none, 409 for a closed one. */
async function openBranch(writer: NegotiationWriter, negotiationId: string, name: string): Promise<ScenarioInfo> {
  const info = await writer.scenario(negotiationId, name);
  if (info.status === 'closed') throw new ScenarioClosed(negotiationId, name);
  return info;
}

export class OpenScenario extends Command<ScenarioInfo> {
  constructor(
    readonly negotiationId: string,
    readonly name: string,
    readonly from: From | undefined,
    readonly description: string | undefined,
    readonly by: string | null,
  ) {
    super();
  }
}

@CommandHandler(OpenScenario)
export class OpenScenarioHandler implements ICommandHandler<OpenScenario> {
  constructor(private readonly store: EventStore, private readonly writer: NegotiationWriter) {}

  async execute({ negotiationId, name, from, description, by }: OpenScenario): Promise<ScenarioInfo> {
    const record = await this.store.readStream(negotiationId);
    requireNegotiation(negotiationId, record.length);
    const data: ScenarioEventData['ScenarioOpened'] = { name, ...baseOf(record, from), from: askedFrom(from), ...(description ? { description } : {}), by };
    try {
      return await bookkeep(this.store, this.writer, negotiationId, name, 'ScenarioOpened', data, 'no_stream');
    } catch (error) {
      // The stream exists: the name is, or was, a branch's (a closed branch keeps its name).
      if (error instanceof VersionConflict) throw new ScenarioExists(negotiationId, name);
      throw error;
    }
  }
}

export class AppendHypothetical extends Command<WriteOutcome> {
  constructor(
    readonly negotiationId: string,
    readonly name: string,
    readonly events: EventInput[],
    readonly expectedVersion: ExpectedVersion | undefined,
    readonly codedBy: string | null,
    /** From an NDJSON file: each event's line, which errors name instead of its index. */
    readonly lines?: number[],
  ) {
    super();
  }
}

@CommandHandler(AppendHypothetical)
export class AppendHypotheticalHandler implements ICommandHandler<AppendHypothetical> {
  constructor(private readonly writer: NegotiationWriter) {}

  execute({ negotiationId, name, events, expectedVersion, codedBy, lines }: AppendHypothetical): Promise<WriteOutcome> {
    const locate = lines ? (index: number) => ({ path: [], line: lines[index]! }) : undefined;
    return this.writer.appendToBranch(negotiationId, name, events, expectedVersion, locate, { codedBy });
  }
}

export class RebaseScenario extends Command<ScenarioInfo> {
  constructor(readonly negotiationId: string, readonly name: string, readonly from: From | undefined, readonly by: string | null) {
    super();
  }
}

/**
 * Moves a branch onto a newer record (by default the record as it is now): its hypothetical
 * events are judged again, in order, on the new base, and a branch they would no longer fit
 * (a party it adds that the record has added since, say) is refused with each conflict named.
 */
@CommandHandler(RebaseScenario)
export class RebaseScenarioHandler implements ICommandHandler<RebaseScenario> {
  constructor(private readonly store: EventStore, private readonly writer: NegotiationWriter) {}

  async execute({ negotiationId, name, from, by }: RebaseScenario): Promise<ScenarioInfo> {
    const info = await openBranch(this.writer, negotiationId, name);
    // The record is read once: for the new base, and as the branch's events are judged on it.
    const record = await this.store.readStream(negotiationId);
    const { base, until } = baseOf(record, from);
    const issues = await this.writer.rebaseIssues(negotiationId, name, upTo(record, base));
    if (issues.length > 0) throw new RuleViolation(issues);
    return bookkeep(this.store, this.writer, negotiationId, name, 'ScenarioRebased', { base, until, from: askedFrom(from), by }, info.version);
  }
}

export class CloseScenario extends Command<ScenarioInfo> {
  constructor(readonly negotiationId: string, readonly name: string, readonly by: string | null) {
    super();
  }
}

/** Deleting a branch closes it: its stream stays (the record keeps that it existed), reads of it answer 404. */
@CommandHandler(CloseScenario)
export class CloseScenarioHandler implements ICommandHandler<CloseScenario> {
  constructor(private readonly store: EventStore, private readonly writer: NegotiationWriter) {}

  async execute({ negotiationId, name, by }: CloseScenario): Promise<ScenarioInfo> {
    const info = await openBranch(this.writer, negotiationId, name);
    return bookkeep(this.store, this.writer, negotiationId, name, 'ScenarioClosed', { by }, info.version);
  }
}

export class ListScenarios extends Query<{ scenarios: ScenarioInfo[] }> {
  constructor(readonly negotiationId: string, readonly status?: 'open' | 'closed') {
    super();
  }
}

@QueryHandler(ListScenarios)
export class ListScenariosHandler implements IQueryHandler<ListScenarios> {
  constructor(@Inject(DATABASE) private readonly connection: DatabaseConnection, private readonly writer: NegotiationWriter) {}

  async execute({ negotiationId, status }: ListScenarios) {
    requireNegotiation(negotiationId, (await this.writer.stateOf(negotiationId)).version);
    const scenarios = await listScenarios(this.connection.db, negotiationId);
    return { scenarios: scenarios.filter((s) => status === undefined || s.status === status) };
  }
}

export class GetScenario extends Query<ScenarioInfo> {
  constructor(readonly negotiationId: string, readonly name: string) {
    super();
  }
}

@QueryHandler(GetScenario)
export class GetScenarioHandler implements IQueryHandler<GetScenario> {
  constructor(private readonly writer: NegotiationWriter) {}

  execute({ negotiationId, name }: GetScenario) {
    return this.writer.scenario(negotiationId, name);
  }
}

export const scenarioHandlers = [
  OpenScenarioHandler,
  AppendHypotheticalHandler,
  RebaseScenarioHandler,
  CloseScenarioHandler,
  ListScenariosHandler,
  GetScenarioHandler,
];
