import type { EventData, NegotiationEvent, NegotiationEventType, Source } from '../domain/events';
import { DEFAULT_SCALE } from '../domain/state';
import { factsOf } from './stance';

/** The original version of a position-carrying event: what corrections and retractions need. */
export interface TargetInfo {
  eventId: string;
  type: NegotiationEventType;
  occurredAt: Date;
  eventPosition: number;
  source: Source | null;
}

export interface PartyRow {
  negotiationId: string;
  party: string;
  name: string;
  aliases: string[];
  capability: number | null;
  recordedAt: Date;
  position: number;
}

export interface IssueRow {
  negotiationId: string;
  issue: string;
  title: string;
  scaleMin: number;
  scaleMax: number;
  labels: Record<string, string>;
  recordedAt: Date;
  position: number;
}

export interface VersionRow {
  eventId: string;
  versionPosition: number;
  negotiationId: string;
  type: NegotiationEventType;
  retracted: boolean;
  occurredAt: Date;
  recordedAt: Date;
  source: Source | null;
}

export interface FactRow {
  negotiationId: string;
  party: string;
  issue: string;
  kind: 'set' | 'withdraw' | 'red-line';
  value: number | null;
  salience: number | null;
  min: number | null;
  max: number | null;
  summary: string | null;
  eventId: string;
  eventPosition: number;
  versionPosition: number;
  occurredAt: Date;
  recordedAt: Date;
}

export interface ProjectionRows {
  parties: PartyRow[];
  issues: IssueRow[];
  versions: VersionRow[];
  facts: FactRow[];
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
  const stamp = { negotiationId, recordedAt: event.recordedAt, position: event.globalPosition };
  switch (event.type) {
    case 'PartyAdded':
      rows.parties.push({
        ...stamp,
        party: event.data.party,
        name: event.data.name,
        aliases: event.data.aliases ?? [],
        capability: event.data.capability ?? null,
      });
      return rows;
    case 'IssueDefined': {
      const scale = event.data.scale ?? DEFAULT_SCALE;
      rows.issues.push({
        ...stamp,
        issue: event.data.issue,
        title: event.data.title,
        scaleMin: scale.min,
        scaleMax: scale.max,
        labels: scale.labels ?? {},
      });
      return rows;
    }
    case 'EventCorrected':
    case 'EventRetracted': {
      if (!target) throw new Error(`${event.type} ${event.id}: its target ${event.data.target} is not projected`);
      const correction = event.type === 'EventCorrected' ? (event.data as EventData['EventCorrected']) : undefined;
      const version: VersionRow = {
        eventId: target.eventId,
        versionPosition: event.globalPosition,
        negotiationId,
        type: target.type,
        retracted: event.type === 'EventRetracted',
        occurredAt: correction?.occurredAt ? new Date(correction.occurredAt) : target.occurredAt,
        recordedAt: event.recordedAt,
        source: target.source,
      };
      rows.versions.push(version);
      if (correction) rows.facts.push(...factRows(version, target.eventPosition, correction.data));
      return rows;
    }
    case 'NegotiationOpened':
      return rows;
    default: {
      const version: VersionRow = {
        eventId: event.id,
        versionPosition: event.globalPosition,
        negotiationId,
        type: event.type,
        retracted: false,
        occurredAt: event.occurredAt,
        recordedAt: event.recordedAt,
        source: event.source ?? null,
      };
      rows.versions.push(version);
      rows.facts.push(...factRows(version, event.globalPosition, event.data));
      return rows;
    }
  }
}

function factRows(version: VersionRow, eventPosition: number, data: unknown): FactRow[] {
  return factsOf(version.type, data).map(({ party, issue, fact }) => ({
    negotiationId: version.negotiationId,
    party,
    issue,
    kind: fact.kind,
    value: fact.kind === 'set' ? fact.value : null,
    salience: fact.kind === 'set' ? fact.salience : null,
    min: fact.kind === 'red-line' ? fact.min : null,
    max: fact.kind === 'red-line' ? fact.max : null,
    summary: fact.summary,
    eventId: version.eventId,
    eventPosition,
    versionPosition: version.versionPosition,
    occurredAt: version.occurredAt,
    recordedAt: version.recordedAt,
  }));
}
