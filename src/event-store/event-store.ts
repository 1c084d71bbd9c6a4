import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, EventRow } from '../database/schema';
import { isDatabaseUnavailable } from '../database/errors';
import { AppendOutcomeUnknown, InvalidEventData, VersionConflict } from './errors';
import { splitKnown, type PreparedEvent } from './idempotency';
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
  constructor(
    private readonly db: Kysely<Database>,
    readonly registry: EventRegistry,
  ) {}

  async appendToStream(
    streamId: string,
    events: EventToAppend[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const prepared = events.map((event, index) => this.prepare(event, index));
    let committing = false;
    try {
      return await this.db.transaction().execute(async (trx) => {
        const result = await this.appendPrepared(trx, streamId, prepared, options);
        committing = true;
        return result;
      });
    } catch (error) {
      // Lost at COMMIT, the append may have committed or not: only a retry can tell.
      if (committing && isDatabaseUnavailable(error)) throw new AppendOutcomeUnknown(error);
      throw error;
    }
  }

  /**
   * Appends inside a transaction the caller owns, for writes that must commit together with
   * the events (e.g. a projection checkpoint). Validation runs first, then the head lock.
   */
  async appendInTransaction(
    trx: Transaction<Database>,
    streamId: string,
    events: EventToAppend[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const prepared = events.map((event, index) => this.prepare(event, index));
    return this.appendPrepared(trx, streamId, prepared, options);
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

  async streamVersion(streamId: string): Promise<number> {
    return currentVersion(this.db, streamId);
  }

  /**
   * The log's head and the database's clock, read together: "now" for a read is the clock
   * that stamps recordedAt, never the app's, so a read at now sees every answered write even
   * when the two clocks disagree.
   */
  async head(): Promise<{ position: number; now: Date }> {
    const { rows } = await sql<{ position: string; now: Date }>`
      select position, date_trunc('milliseconds', clock_timestamp()) as now from event_store_head`.execute(this.db);
    return { position: Number(rows[0]!.position), now: rows[0]!.now };
  }

  /** Whether any event of these streams lies in (after, upTo]. */
  async anyBetween(after: number, upTo: number, streamIds: string[]): Promise<boolean> {
    const row = await this.db
      .selectFrom('events')
      .select('global_position')
      .where('stream_id', 'in', streamIds)
      .where('global_position', '>', String(after))
      .where('global_position', '<=', String(upTo))
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async headPosition(): Promise<number> {
    const row = await this.db
      .selectFrom('event_store_head')
      .select('position')
      .executeTakeFirstOrThrow();
    return Number(row.position);
  }

  private prepare(event: EventToAppend, index: number): PreparedEvent {
    if (event.id !== undefined && !UUID.test(event.id)) {
      throw new InvalidEventData(event.type, index, [{ path: ['id'], message: 'Invalid UUID' }]);
    }
    if (Number.isNaN(event.occurredAt.getTime())) {
      throw new InvalidEventData(event.type, index, [
        { path: ['occurredAt'], message: 'Invalid date' },
      ]);
    }
    // Before the schema: zod walks the data recursively too. Metadata paths start at its keys
    // (`source.title`), as clients write them.
    const unstorable = findUnstorable(event.data, ['data']) ?? findUnstorable(event.metadata ?? {}, []);
    if (unstorable) throw new InvalidEventData(event.type, index, [unstorable]);
    const { data, schemaVersion } = this.registry.validate(event.type, event.data, index);
    return {
      id: event.id ?? randomUUID(),
      type: event.type,
      schemaVersion,
      // Normalised through JSON so comparing with what jsonb gives back is like for like.
      data: JSON.parse(JSON.stringify(data)),
      metadata: JSON.parse(JSON.stringify(event.metadata ?? {})),
      occurredAt: event.occurredAt,
    };
  }

  private async appendPrepared(
    trx: Transaction<Database>,
    streamId: string,
    batch: PreparedEvent[],
    { expectedVersion = 'any', beforeAppend }: AppendOptions,
  ): Promise<AppendResult> {
    // The lock that orders the log: everything below runs one appender at a time. It must be
    // its own statement: a statement's snapshot is taken before it waits for the lock, so
    // reads in the same statement would not see the append that held the lock before us.
    const { position } = await trx.selectFrom('event_store_head').select('position').forUpdate().executeTakeFirstOrThrow();
    // Then one round trip reads what the append needs: the stream's version, the time, and the
    // events of this batch already stored. recordedAt is never earlier than the previous
    // append's, even if the clock steps back, and never ahead of the clock otherwise, so a read
    // at "now" sees every answered append.
    const { rows: locked } = await sql<{ version: number; recorded_at: Date; known: EventRow[] }>`
      select
        (select coalesce(max(stream_version), 0) from events where stream_id = ${streamId})::int as version,
        greatest(
          date_trunc('milliseconds', clock_timestamp()),
          (select recorded_at from events where global_position = ${position})
        ) as recorded_at,
        (select coalesce(json_agg(e), '[]'::json) from events e where e.id = any(${batch.map((e) => e.id)}::uuid[])) as known`.execute(trx);
    const head = { ...locked[0]!, position };
    const stored = head.known.map((row) => ({ ...row, occurred_at: new Date(row.occurred_at), recorded_at: new Date(row.recorded_at) }));
    const { fresh, known } = splitKnown(stored, streamId, batch);
    const version = head.version;
    if (fresh.length === 0) {
      // A retried request: answer with the original positions, whatever version is expected now.
      return {
        streamVersion: version,
        events: batch.map((e) => known.get(e.id)!),
        appended: 0,
        skipped: batch.length,
      };
    }
    checkExpectedVersion(streamId, expectedVersion, version);
    await beforeAppend?.({ db: trx, streamId, version, events: fresh });

    const start = Number(head.position);
    const end = start + fresh.length;
    const rows = fresh.map((event, i) => ({
      global_position: String(start + i + 1),
      id: event.id,
      stream_version: version + i + 1,
    }));
    // One statement writes the events, moves the head and notifies (delivered on commit).
    await sql`
      with inserted as (
        insert into events (global_position, id, stream_id, stream_version, type, schema_version,
                            data, metadata, occurred_at, recorded_at)
        select p, i, ${streamId}, v, t, sv, d, m, o, ${head.recorded_at}::timestamptz
        from unnest(
          ${rows.map((r) => r.global_position)}::bigint[], ${rows.map((r) => r.id)}::uuid[],
          ${rows.map((r) => r.stream_version)}::int[], ${fresh.map((e) => e.type)}::text[],
          ${fresh.map((e) => e.schemaVersion)}::int[], ${fresh.map((e) => JSON.stringify(e.data))}::jsonb[],
          ${fresh.map((e) => JSON.stringify(e.metadata))}::jsonb[], ${fresh.map((e) => e.occurredAt)}::timestamptz[]
        ) as x(p, i, v, t, sv, d, m, o)
        returning 1
      ), moved as (
        update event_store_head set position = ${end} returning 1
      )
      select pg_notify(${EVENTS_CHANNEL}, ${String(end)}), (select count(*) from inserted), (select count(*) from moved)`.execute(trx);

    for (const row of rows) {
      known.set(row.id, {
        id: row.id,
        globalPosition: Number(row.global_position),
        streamVersion: row.stream_version,
      });
    }
    return {
      streamVersion: version + fresh.length,
      events: batch.map((e) => known.get(e.id)!),
      appended: fresh.length,
      skipped: batch.length - fresh.length,
    };
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

function checkExpectedVersion(
  streamId: string,
  expected: AppendOptions['expectedVersion'],
  actual: number,
): void {
  if (expected === undefined || expected === 'any') return;
  const wanted = expected === 'no_stream' ? 0 : expected;
  if (wanted !== actual) throw new VersionConflict(streamId, expected, actual);
}
