import type { Kysely } from 'kysely';
import type { BulkInsert } from '../../database/bulk-insert';
import type { Database } from '../../database/schema';
import type { StoredEvent } from '../../event-store/types';
import type { Projection } from '../../projection-runner/projection';
import { isNegotiationType, type DatePrecision, type NegotiationEventType, type Source } from '../domain/events';
import { toNegotiationEvent } from '../domain/stored-event';
import { isScenarioStream, isSubStream } from '../domain/streams';
import { publicTime } from './stance';
import { projectionRows, type ProjectionRows, type TargetInfo } from './stance-rows';

/**
 * Negotiation streams feed the stance projection (not `<nid>.rules`, `<nid>.alerts`), and so do
 * scenario branches: their rows are keyed by the branch's stream, which no read of the record
 * names (stance.repository.ts reads a branch as the record up to its base plus those rows).
 */
const feedsStances = (event: StoredEvent) => isNegotiationType(event.type) && (!isSubStream(event.streamId) || isScenarioStream(event.streamId));

/**
 * Projects a batch of events (in global order) into the tables `db` points at: the live ones,
 * or a rebuild's shadow schema. Targets of corrections and retractions come from the batch
 * itself or, for older ones, from the tables.
 */
async function projectStances(db: Kysely<Database>, events: StoredEvent[], bulk: BulkInsert): Promise<void> {
  const relevant = events.filter(feedsStances).map((e) => ({ streamId: e.streamId, event: toNegotiationEvent(e) }));
  const targetOf = (event: (typeof relevant)[number]['event']) =>
    event.type === 'EventCorrected' || event.type === 'EventRetracted' ? event.data.target : undefined;
  const targets = await loadTargets(db, relevant.flatMap(({ event }) => targetOf(event) ?? []));
  const all: ProjectionRows = { parties: [], issues: [], versions: [], facts: [] };
  for (const { streamId, event } of relevant) {
    const targetId = targetOf(event);
    const rows = projectionRows(streamId, event, targetId ? targets.get(targetId) : undefined);
    // An event's own version is what later corrections in this batch will target.
    for (const version of rows.versions) {
      if (Number(version.version_position) === event.globalPosition && version.event_id === event.id) {
        targets.set(event.id, {
          eventId: event.id,
          type: version.type as NegotiationEventType,
          occurredAt: version.occurred_at as Date,
          eventPosition: event.globalPosition,
          source: event.source ?? null,
          datePrecision: event.datePrecision ?? null,
          publicAt: publicTime(event.source, event.recordedAt),
        });
      }
    }
    all.parties.push(...rows.parties);
    all.issues.push(...rows.issues);
    all.versions.push(...rows.versions);
    all.facts.push(...rows.facts);
  }
  await writeRows(db, bulk, all);
}

async function loadTargets(db: Kysely<Database>, ids: string[]): Promise<Map<string, TargetInfo>> {
  const targets = new Map<string, TargetInfo>();
  if (ids.length === 0) return targets;
  // The original version of an event is the one at its own position: the smallest.
  const rows = await db
    .selectFrom('stance_versions')
    .distinctOn('event_id')
    .select(['event_id', 'type', 'occurred_at', 'version_position', 'source', 'date_precision', 'recorded_at'])
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
      source: row.source as Source | null,
      datePrecision: row.date_precision as DatePrecision | null,
      // The original version's recordedAt is the report's own.
      publicAt: publicTime(row.source as Source | null, row.recorded_at),
    });
  }
  return targets;
}

const CHUNK = 1000;
const COLUMN_CHUNK = 10_000;

/** The large tables' columns, in the order they are written, with their types (for unnest). */
const VERSION_TYPES = {
  event_id: 'uuid', version_position: 'int8', negotiation_id: 'text', type: 'text', retracted: 'bool',
  occurred_at: 'timestamptz', recorded_at: 'timestamptz', source: 'jsonb', date_precision: 'text', public_at: 'timestamptz',
} as const;
const FACT_TYPES = {
  negotiation_id: 'text', party: 'text', issue: 'text', kind: 'text', value: 'float8', salience: 'float8', min: 'float8', max: 'float8',
  summary: 'text', confidence: 'float8', quote: 'text', uncertainty_low: 'float8', uncertainty_high: 'float8', basis: 'text',
  public_at: 'timestamptz', event_id: 'uuid', event_position: 'int8', version_position: 'int8', occurred_at: 'timestamptz', recorded_at: 'timestamptz',
} as const;

async function writeRows(db: Kysely<Database>, bulk: BulkInsert, rows: ProjectionRows): Promise<void> {
  for (const chunk of chunks(rows.parties)) await db.insertInto('projected_parties').values(chunk).execute();
  for (const chunk of chunks(rows.issues)) await db.insertInto('projected_issues').values(chunk).execute();
  for (const chunk of chunks(rows.versions, COLUMN_CHUNK)) await bulk('stance_versions', VERSION_TYPES, chunk as Record<string, unknown>[]);
  for (const chunk of chunks(rows.facts, COLUMN_CHUNK)) {
    await bulk('stance_facts', FACT_TYPES, chunk as Record<string, unknown>[]);
    // The (party, issue) pairs that ever had a fact: what as-of reads probe, one index seek each.
    const keys = new Map(chunk.map((f) => [`${f.negotiation_id}/${f.party}/${f.issue}`, { negotiation_id: f.negotiation_id, party: f.party, issue: f.issue }]));
    await db.insertInto('stance_keys').values([...keys.values()]).onConflict((oc) => oc.doNothing()).execute();
  }
}

function* chunks<T>(items: T[], size = CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Each party's stance on each issue, bitemporally: what as-of reads and analyses read. */
export const stanceProjection: Projection = {
  name: 'stances',
  tables: ['projected_parties', 'projected_issues', 'stance_versions', 'stance_facts', 'stance_keys'],
  project: projectStances,
};
