import { sql, type Kysely } from 'kysely';
import { isTransient } from '../database/errors';
import type { Database } from '../database/schema';
import type { StoredEvent } from '../event-store/types';
import { isNegotiationType, type NegotiationEventType } from '../negotiation/domain/events';
import { toNegotiationEvent } from '../negotiation/domain/stored-event';
import { isSubStream } from '../negotiation/domain/streams';
import { projectRuleEvents } from '../alerting/rule-versions.projection';
import { projectionRows, type ProjectionRows, type TargetInfo } from '../negotiation/stances/stance-rows';

export const STANCES_CHECKPOINT = 'stances';

/** Only negotiation streams feed the stance projection (not `<nid>.rules`, `<nid>.alerts`). */
export function isNegotiationEvent(event: StoredEvent): boolean {
  return isNegotiationType(event.type) && !isSubStream(event.streamId);
}

/**
 * Projects a batch of events (in global order) into the tables `db` points at: the live ones,
 * or a rebuild's shadow schema. Targets of corrections and retractions come from the batch
 * itself or, for older ones, from the tables.
 */
export async function projectEvents(db: Kysely<Database>, events: StoredEvent[]): Promise<void> {
  await projectRuleEvents(db, events);
  const relevant = events.filter(isNegotiationEvent).map((e) => ({ streamId: e.streamId, event: toNegotiationEvent(e) }));
  const targetIds = relevant.flatMap(({ event }) =>
    event.type === 'EventCorrected' || event.type === 'EventRetracted' ? [event.data.target] : [],
  );
  const targets = await loadTargets(db, targetIds);
  const all: ProjectionRows = { parties: [], issues: [], versions: [], facts: [] };
  for (const { streamId, event } of relevant) {
    const targetId = event.type === 'EventCorrected' || event.type === 'EventRetracted' ? event.data.target : undefined;
    const rows = projectionRows(streamId, event, targetId ? targets.get(targetId) : undefined);
    for (const version of rows.versions) {
      if (version.versionPosition === event.globalPosition && version.eventId === event.id) {
        targets.set(version.eventId, {
          eventId: version.eventId,
          type: version.type,
          occurredAt: version.occurredAt,
          eventPosition: version.versionPosition,
          source: version.source,
        });
      }
    }
    all.parties.push(...rows.parties);
    all.issues.push(...rows.issues);
    all.versions.push(...rows.versions);
    all.facts.push(...rows.facts);
  }
  await writeRows(db, all);
}

export interface SkippedEvent {
  position: number;
  eventId: string;
  error: string;
}

/**
 * projectEvents, but an event the fold cannot process (a row written before today's checks,
 * or by hand) does not stop the projection: the batch is retried event by event inside
 * savepoints, and each event that fails alone is recorded in `projection_skipped` (through
 * `log`, the live schema even during a rebuild) and passed over. A database that is away is
 * not the data's fault: that error goes up and the batch is retried whole.
 */
export async function projectOrSkip(db: Kysely<Database>, log: Kysely<Database>, events: StoredEvent[]): Promise<SkippedEvent[]> {
  const attempt = async (batch: StoredEvent[]): Promise<unknown> => {
    await sql`savepoint project_batch`.execute(db);
    try {
      await projectEvents(db, batch);
      await sql`release savepoint project_batch`.execute(db);
      return undefined;
    } catch (error) {
      if (isTransient(error)) throw error;
      await sql`rollback to savepoint project_batch`.execute(db);
      return error;
    }
  };
  if ((await attempt(events)) === undefined) return [];
  const skipped: SkippedEvent[] = [];
  for (const event of events) {
    const error = await attempt([event]);
    if (error === undefined) continue;
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    await log
      .insertInto('projection_skipped')
      .values({ projection: STANCES_CHECKPOINT, global_position: event.globalPosition, event_id: event.id, error: message })
      .onConflict((oc) => oc.doNothing())
      .execute();
    skipped.push({ position: event.globalPosition, eventId: event.id, error: message });
  }
  return skipped;
}

async function loadTargets(db: Kysely<Database>, ids: string[]): Promise<Map<string, TargetInfo>> {
  const targets = new Map<string, TargetInfo>();
  if (ids.length === 0) return targets;
  // The original version of an event is the one at its own position: the smallest.
  const rows = await db
    .selectFrom('stance_versions')
    .distinctOn('event_id')
    .select(['event_id', 'type', 'occurred_at', 'version_position', 'source'])
    .where('event_id', 'in', ids)
    .orderBy('event_id')
    .orderBy('version_position')
    .execute();
  for (const row of rows) {
    targets.set(row.event_id, {
      eventId: row.event_id,
      type: row.type as NegotiationEventType,
      occurredAt: row.occurred_at,
      eventPosition: Number(row.version_position),
      source: row.source as TargetInfo['source'],
    });
  }
  return targets;
}

const CHUNK = 1000;

async function writeRows(db: Kysely<Database>, rows: ProjectionRows): Promise<void> {
  for (const chunk of chunks(rows.parties)) {
    await db
      .insertInto('projected_parties')
      .values(
        chunk.map((p) => ({
          negotiation_id: p.negotiationId,
          party: p.party,
          name: p.name,
          aliases: JSON.stringify(p.aliases),
          capability: p.capability,
          recorded_at: p.recordedAt,
          position: p.position,
        })),
      )
      .execute();
  }
  for (const chunk of chunks(rows.issues)) {
    await db
      .insertInto('projected_issues')
      .values(
        chunk.map((i) => ({
          negotiation_id: i.negotiationId,
          issue: i.issue,
          title: i.title,
          scale_min: i.scaleMin,
          scale_max: i.scaleMax,
          labels: JSON.stringify(i.labels),
          recorded_at: i.recordedAt,
          position: i.position,
        })),
      )
      .execute();
  }
  for (const chunk of chunks(rows.versions)) {
    await db
      .insertInto('stance_versions')
      .values(
        chunk.map((v) => ({
          event_id: v.eventId,
          version_position: v.versionPosition,
          negotiation_id: v.negotiationId,
          type: v.type,
          retracted: v.retracted,
          occurred_at: v.occurredAt,
          recorded_at: v.recordedAt,
          source: JSON.stringify(v.source),
        })),
      )
      .execute();
  }
  for (const chunk of chunks(rows.facts)) {
    await db
      .insertInto('stance_facts')
      .values(
        chunk.map((f) => ({
          negotiation_id: f.negotiationId,
          party: f.party,
          issue: f.issue,
          kind: f.kind,
          value: f.value,
          salience: f.salience,
          min: f.min,
          max: f.max,
          summary: f.summary,
          event_id: f.eventId,
          event_position: f.eventPosition,
          version_position: f.versionPosition,
          occurred_at: f.occurredAt,
          recorded_at: f.recordedAt,
        })),
      )
      .execute();
    const keys = new Map(chunk.map((f) => [`${f.negotiationId}/${f.party}/${f.issue}`, f]));
    await db
      .insertInto('stance_keys')
      .values([...keys.values()].map((f) => ({ negotiation_id: f.negotiationId, party: f.party, issue: f.issue })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

function* chunks<T>(items: T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += CHUNK) yield items.slice(i, i + CHUNK);
}

export async function readCheckpoint(db: Kysely<Database>, name = STANCES_CHECKPOINT): Promise<number> {
  const row = await db.selectFrom('projection_checkpoints').select('position').where('name', '=', name).executeTakeFirst();
  return Number(row?.position ?? 0);
}

export async function writeCheckpoint(db: Kysely<Database>, position: number, name = STANCES_CHECKPOINT): Promise<void> {
  await db
    .insertInto('projection_checkpoints')
    .values({ name, position })
    .onConflict((oc) => oc.column('name').doUpdateSet({ position }))
    .execute();
}

/** One projector at a time, across processes: batches and the rebuild's swap take this lock. */
export async function lockProjections(db: Kysely<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(727275)`.execute(db);
}

/** The projection's checkpoint, the log's head and the events passed over, for /health and /metrics. */
export async function projectionStatus(db: Kysely<Database>): Promise<{ checkpoint: number; head: number; skipped: number }> {
  const { rows } = await sql<{ checkpoint: string | null; head: string; skipped: number }>`
    select (select position from projection_checkpoints where name = ${STANCES_CHECKPOINT}) as checkpoint,
           (select position from event_store_head) as head,
           (select count(*)::int from projection_skipped) as skipped`.execute(db);
  const row = rows[0]!;
  return { checkpoint: Number(row.checkpoint ?? 0), head: Number(row.head), skipped: row.skipped };
}
