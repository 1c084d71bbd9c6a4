import type { Insertable } from 'kysely';
import type { ProjectedIssuesTable, ProjectedPartiesTable, StanceFactsTable, StanceVersionsTable } from '../../database/schema';
import type { DatePrecision, EventData, NegotiationEvent, NegotiationEventType, Source } from '../domain/events';
import { DEFAULT_SCALE } from '../domain/state';
import { factsOf, publicTime } from './stance';

/** The original version of a position-carrying event: what corrections and retractions need. */
export interface TargetInfo {
  eventId: string;
  type: NegotiationEventType;
  occurredAt: Date;
  eventPosition: number;
  source: Source | null;
  datePrecision: DatePrecision | null;
  /** When the original report became public (see publicTime). */
  publicAt: Date;
}

/** What one event adds to the stance projection's tables, as kysely inserts them. */
export interface ProjectionRows {
  parties: Insertable<ProjectedPartiesTable>[];
  issues: Insertable<ProjectedIssuesTable>[];
  versions: Insertable<StanceVersionsTable>[];
  facts: Insertable<StanceFactsTable>[];
}

const none = (): ProjectionRows => ({ parties: [], issues: [], versions: [], facts: [] });

/**
 * What one event adds to the stance projection: the pure half of the projector, shared by
 * the live projector, the rebuild and the tests. Rows are only ever added: a correction or a
 * retraction is a new version of its target, from its own recordedAt on.
 * `target` is the original version of the event a correction or retraction points at.
 */
export function projectionRows(negotiationId: string, event: NegotiationEvent, target?: TargetInfo): ProjectionRows {
  const rows = none();
  const stamp = { negotiation_id: negotiationId, recorded_at: event.recordedAt, position: event.globalPosition };
  switch (event.type) {
    case 'PartyAdded':
      rows.parties.push({
        ...stamp,
        party: event.data.party,
        name: event.data.name,
        aliases: JSON.stringify(event.data.aliases ?? []),
        capability: event.data.capability ?? null,
      });
      return rows;
    case 'IssueDefined': {
      const scale = event.data.scale ?? DEFAULT_SCALE;
      rows.issues.push({
        ...stamp,
        issue: event.data.issue,
        title: event.data.title,
        scale_min: scale.min,
        scale_max: scale.max,
        labels: JSON.stringify(scale.labels ?? {}),
        keywords: JSON.stringify(event.data.keywords ?? []),
        status_quo: event.data.statusQuo ?? null,
      });
      return rows;
    }
    case 'EventCorrected':
    case 'EventRetracted':
      return amendmentRows(negotiationId, event, target);
    case 'NegotiationOpened':
    case 'NewsItemDismissed':
      return rows;
    default: {
      const version: Version = {
        eventId: event.id,
        versionPosition: event.globalPosition,
        negotiationId,
        type: event.type,
        retracted: false,
        occurredAt: event.occurredAt,
        recordedAt: event.recordedAt,
        source: event.source ?? null,
        datePrecision: event.datePrecision ?? null,
        publicAt: publicTime(event.source, event.recordedAt),
      };
      rows.versions.push(versionRow(version));
      rows.facts.push(...factRows(version, event.globalPosition, event.data, publicTime(event.source, event.recordedAt)));
      return rows;
    }
  }
}

/** A correction or retraction: a new version of its target, from the amendment's recordedAt on. */
function amendmentRows(
  negotiationId: string,
  event: Extract<NegotiationEvent, { type: 'EventCorrected' | 'EventRetracted' }>,
  target: TargetInfo | undefined,
): ProjectionRows {
  const rows = none();
  if (!target) throw new Error(`${event.type} ${event.id}: its target ${event.data.target} is not projected`);
  const correction = event.type === 'EventCorrected' ? (event.data as EventData['EventCorrected']) : undefined;
  const version: Version = {
    eventId: target.eventId,
    versionPosition: event.globalPosition,
    negotiationId,
    type: target.type,
    retracted: event.type === 'EventRetracted',
    occurredAt: correction?.occurredAt ? new Date(correction.occurredAt) : target.occurredAt,
    recordedAt: event.recordedAt,
    source: target.source,
    datePrecision: target.datePrecision,
    // The amendment's own report: what `corrections=public` asks to have been out by publicAt.
    publicAt: publicTime(event.source, event.recordedAt),
  };
  rows.versions.push(versionRow(version));
  if (correction) rows.facts.push(...factRows(version, target.eventPosition, correction.data, target.publicAt));
  return rows;
}

/** One version of a position-carrying event, as the fold reasons about it. */
interface Version {
  eventId: string;
  versionPosition: number;
  negotiationId: string;
  type: NegotiationEventType;
  retracted: boolean;
  occurredAt: Date;
  recordedAt: Date;
  source: Source | null;
  datePrecision: DatePrecision | null;
  /** When this version became public (the original's report, or the amendment's own). */
  publicAt: Date;
}

function versionRow(v: Version): Insertable<StanceVersionsTable> {
  return {
    event_id: v.eventId,
    version_position: v.versionPosition,
    negotiation_id: v.negotiationId,
    type: v.type,
    retracted: v.retracted,
    occurred_at: v.occurredAt,
    recorded_at: v.recordedAt,
    source: JSON.stringify(v.source),
    date_precision: v.datePrecision,
    public_at: v.publicAt,
  };
}

function factRows(version: Version, eventPosition: number, data: unknown, publicAt: Date): Insertable<StanceFactsTable>[] {
  return factsOf(version.type, data).map(({ party, issue, fact }) => ({
    negotiation_id: version.negotiationId,
    party,
    issue,
    kind: fact.kind,
    value: fact.kind === 'set' ? fact.value : null,
    salience: fact.kind === 'set' ? fact.salience : null,
    min: fact.kind === 'red-line' ? fact.min : null,
    max: fact.kind === 'red-line' ? fact.max : null,
    summary: fact.summary,
    confidence: fact.kind === 'set' ? fact.confidence : null,
    quote: fact.kind === 'set' ? fact.quote : null,
    uncertainty_low: fact.kind === 'set' ? (fact.uncertainty?.low ?? null) : null,
    uncertainty_high: fact.kind === 'set' ? (fact.uncertainty?.high ?? null) : null,
    basis: fact.kind === 'set' ? fact.basis : null,
    public_at: publicAt,
    event_id: version.eventId,
    event_position: eventPosition,
    version_position: version.versionPosition,
    occurred_at: version.occurredAt,
    recorded_at: version.recordedAt,
  }));
}
