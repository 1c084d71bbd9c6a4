import { v7 as uuidv7 } from 'uuid';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, EventRow } from '../database/schema';
import { IdConflict, InvalidEventData, StaleAppend, VersionConflict } from './errors';
import { appendCalls, appendInAutocommit, positioned, type AppendCall, type CallResult } from './append-call';
import { GroupCommit, type GroupCommitOptions } from './group-commit';
import { mapPaced } from '../shared/paced';
import { withoutTwins, type PreparedEvent } from './idempotency';
import { findUnstorable } from './storable';
import type { EventRegistry } from './event-registry';
import type {
  AppendOptions,
  AppendResult,
  EventToAppend,
  ReadOptions,
  StoredEvent,
} from './types';

export const EVENTS_CHANNEL = 'parley_events';
const DEFAULT_PAGE = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PAGE = 10_000;


/**
 * An append-only log of events in streams.
 *
 * Ordering guarantee: global positions are handed out under the row lock of
 * `event_store_head`, held until commit, so transactions commit in position order and every
 * reader sees a gap-free prefix of the log. A reader paging with `after` never skips an event
 * that commits later with a lower position, because there is none. See docs/architecture.md.
 */
export class EventStore {
  private readonly group: GroupCommit<AppendCall, CallResult>;

  constructor(
    private readonly db: Kysely<Database>,
    readonly registry: EventRegistry,
    groupOptions: GroupCommitOptions = {},
  ) {
    const keys = (call: AppendCall) => ({ ids: call.events.map((e) => e.id), streams: [call.stream] });
    this.group = new GroupCommit((calls) => appendInAutocommit(db, calls), keys, groupOptions);
  }

  /** The same store reading another database of the same log (a replica). */
  over(db: Kysely<Database>): EventStore {
    return db === this.db ? this : new EventStore(db, this.registry);
  }

  async appendToStream(
    streamId: string,
    events: EventToAppend[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    return this.appendPrepared(streamId, events.map((event, index) => this.prepare(event, index)), options);
  }

  /**
   * Validates events ahead of an append, in slices that let other requests run: a caller with
   * a large batch prepares it first, then appends it with appendPrepared, so the append itself
   * goes out without a pause (its place in the group commit's queue is the order its checks ran).
   */
  /**
   * Validates events and gives each its id. `validated`: the caller parsed the data with the
   * schemas this store's registry holds (the HTTP and CLI edges do), so it is not parsed twice;
   * what jsonb cannot store is still refused here.
   */
  prepareEvents(events: EventToAppend[], { validated = false } = {}): Promise<PreparedEvent[]> {
    return mapPaced(events, (event, index) => this.prepare(event, index, validated));
  }

  async appendPrepared(streamId: string, prepared: PreparedEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const call = this.call(streamId, prepared, options);
    return this.answer(call, await this.group.submit(call, call.events.length));
  }

  /**
   * Appends inside a transaction the caller owns, for writes that must commit together with
   * the events (e.g. alert firings with the projector's checkpoint).
   */
  async appendInTransaction(
    trx: Transaction<Database>,
    streamId: string,
    events: EventToAppend[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const call = this.call(streamId, events.map((event, index) => this.prepare(event, index)), options);
    const [result] = await appendCalls(trx, [call]);
    return this.answer(call, result!);
  }

  async readStream(streamId: string, options: ReadOptions = {}): Promise<StoredEvent[]> {
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('stream_id', '=', streamId)
      .where('stream_version', '>', options.after ?? 0)
      .orderBy('stream_version')
      .$if(options.limit !== undefined, (q) => q.limit(pageSize(options.limit)))
      .execute();
    return rows.map((row) => this.toStoredEvent(row));
  }

  async readAll(options: ReadOptions = {}): Promise<StoredEvent[]> {
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('global_position', '>', String(options.after ?? 0))
      .$if(options.streamId !== undefined, (q) => q.where('stream_id', '=', options.streamId!))
      .orderBy('global_position')
      .limit(pageSize(options.limit))
      .execute();
    return rows.map((row) => this.toStoredEvent(row));
  }

  /** The `limit` events just before `before`, in global order: a page read backwards. */
  async readBefore(before: number, options: Omit<ReadOptions, 'after'> = {}): Promise<StoredEvent[]> {
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('global_position', '<', String(before))
      .$if(options.streamId !== undefined, (q) => q.where('stream_id', '=', options.streamId!))
      .orderBy('global_position', 'desc')
      .limit(pageSize(options.limit))
      .execute();
    return rows.reverse().map((row) => this.toStoredEvent(row));
  }

  /** The stream's last event of `type` (a setting's current value), or undefined. */
  async lastOfType(streamId: string, type: string): Promise<StoredEvent | undefined> {
    const row = await this.db
      .selectFrom('events')
      .selectAll()
      .where('stream_id', '=', streamId)
      .where('type', '=', type)
      .orderBy('stream_version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && this.toStoredEvent(row);
  }

  async streamVersion(streamId: string): Promise<number> {
    return currentVersion(this.db, streamId);
  }

  /** Which of these ids are stored (in any stream). */
  async storedIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('events').select('id').where('id', '=', sql<string>`any(${ids}::uuid[])`).execute();
    return new Set(rows.map((r) => r.id));
  }

  async headPosition(): Promise<number> {
    const row = await this.db
      .selectFrom('event_store_head')
      .select('position')
      .executeTakeFirstOrThrow();
    return Number(row.position);
  }

  private prepare(event: EventToAppend, index: number, validated = false): PreparedEvent {
    if (!validated && event.id !== undefined && !UUID.test(event.id)) {
      throw new InvalidEventData(event.type, index, [{ path: ['id'], message: 'Invalid UUID' }]);
    }
    if (!validated && Number.isNaN(event.occurredAt.getTime())) {
      throw new InvalidEventData(event.type, index, [
        { path: ['occurredAt'], message: 'Invalid date' },
      ]);
    }
    // Before the schema: zod walks the data recursively too. Metadata paths start at its keys
    // (`source.title`), as clients write them.
    const unstorable = findUnstorable(event.data, ['data']) ?? findUnstorable(event.metadata ?? {}, []);
    if (unstorable) throw new InvalidEventData(event.type, index, [unstorable]);
    const { data, schemaVersion } = validated ? { data: event.data, schemaVersion: this.registry.schemaVersionOf(event.type) } : this.registry.validate(event.type, event.data, index);
    return {
      // Time-ordered (UUIDv7): a new id lands at the right edge of the id index, not on a random
      // page (the id lookups and inserts of parley_append touch fewer pages; BENCHMARKS.md).
      id: event.id ?? uuidv7(),
      type: event.type,
      schemaVersion,
      data,
      metadata: event.metadata ?? {},
      occurredAt: event.occurredAt,
    };
  }

  /** One caller's append as parley_append takes it: twins folded. */
  private call(streamId: string, prepared: PreparedEvent[], { expectedVersion = 'any', base }: AppendOptions): AppendCall {
    return {
      stream: streamId,
      expected: expectedVersion === 'any' ? null : expectedVersion === 'no_stream' ? 0 : expectedVersion,
      expectedAsGiven: expectedVersion,
      base: base?.version ?? null,
      baseLast: base?.lastEventId ?? null,
      order: prepared.map((e) => e.id),
      events: withoutTwins(prepared).map((e) => ({
        id: e.id,
        type: e.type,
        sv: e.schemaVersion,
        data: e.data,
        meta: e.metadata,
        at: e.occurredAt.toISOString(),
      })),
    };
  }

  private answer(call: AppendCall, result: CallResult): AppendResult {
    switch (result.status) {
      case 'version_conflict':
        throw new VersionConflict(call.stream, call.expectedAsGiven, result.actual);
      case 'stale':
        throw new StaleAppend(call.stream, result.actual);
      case 'id_conflict':
        throw new IdConflict(result.id);
      default:
        return positioned(call, result);
    }
  }

  toStoredEvent(row: EventRow): StoredEvent {
    return {
      id: row.id,
      streamId: row.stream_id,
      streamVersion: row.stream_version,
      globalPosition: Number(row.global_position),
      type: row.type,
      schemaVersion: row.schema_version,
      data: this.registry.upcast(row.type, row.schema_version, row.data),
      metadata: row.metadata,
      occurredAt: row.occurred_at,
      recordedAt: row.recorded_at,
      endsAppend: row.ends_append,
    };
  }
}

function pageSize(limit: number | undefined): number {
  return Math.min(Math.max(limit ?? DEFAULT_PAGE, 1), MAX_PAGE);
}

async function currentVersion(db: Kysely<Database>, streamId: string): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('stream_version').as('version'))
    .where('stream_id', '=', streamId)
    .executeTakeFirst();
  return row?.version ?? 0;
}
