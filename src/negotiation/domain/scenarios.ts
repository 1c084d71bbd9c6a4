import { z } from 'zod';
import type { EventDefinition } from '../../event-store/event-registry';
import { slugSchema, type NegotiationEventType } from './events';

/**
 * A scenario branch lives in its own stream, `<nid>.scenario.<name>`: first ScenarioOpened (its
 * base: the global position of the last record event it sees; `until`, for a branch forked at a
 * date: the record's facts valid after it are not the branch's), then its hypothetical events
 * (negotiation events, checked like any), ScenarioRebased when it moves onto a newer record,
 * ScenarioClosed when it is deleted. The stream stays: the record keeps that the branch existed,
 * and its name is never given to another branch.
 */

export const scenarioNameSchema = slugSchema;

const who = z.string().min(1).max(63).nullable();
/** The base as the client asked for it: a date or instant (the record as known then) or a global position. */
const asked = z.union([z.string().max(40), z.number().int().min(0)]).nullable();

/** A fork at a date: the record's facts valid after this instant are not the branch's. */
const cut = z.iso.datetime({ offset: true }).nullable();

export const scenarioEventSchemas = {
  ScenarioOpened: z.object({ name: scenarioNameSchema, base: z.number().int().min(1), until: cut, from: asked, description: z.string().min(1).max(5000).optional(), by: who }).strict(),
  ScenarioRebased: z.object({ base: z.number().int().min(1), until: cut, from: asked, by: who }).strict(),
  ScenarioClosed: z.object({ by: who }).strict(),
};

export type ScenarioEventType = keyof typeof scenarioEventSchemas;
export type ScenarioEventData = { [K in ScenarioEventType]: z.infer<(typeof scenarioEventSchemas)[K]> };
export const scenarioEventTypes = Object.keys(scenarioEventSchemas) as ScenarioEventType[];
export const isScenarioEventType = (type: string): type is ScenarioEventType => type in scenarioEventSchemas;

export const scenarioEventDefinitions: EventDefinition[] = scenarioEventTypes.map((type) => ({ type, schema: scenarioEventSchemas[type] }));

/**
 * What a branch may hold besides its own bookkeeping: hypothetical positions, proposals,
 * meetings, red lines, withdrawals, parties and issues, and corrections or retractions of its
 * own events. Outcomes and news triage belong to the record.
 */
export const HYPOTHETICAL = new Set<NegotiationEventType>([
  'PartyAdded', 'IssueDefined', 'PositionStated', 'ProposalTabled', 'MeetingHeld', 'PositionWithdrawn', 'RedLineDeclared', 'EventCorrected', 'EventRetracted',
]);

export interface ScenarioInfo {
  name: string;
  status: 'open' | 'closed';
  base: number;
  until: string | null;
  from: string | number | null;
  description: string | null;
  openedAt: string;
  openedBy: string | null;
  rebasedAt: string | null;
  closedAt: string | null;
  closedBy: string | null;
  /** How many hypothetical events the branch holds. */
  events: number;
  /** The branch stream's version: what an append's expectedVersion is checked against. */
  version: number;
}

/** A branch's description, folded from its stream (bookkeeping events and a count of the rest). */
export function scenarioInfo(events: { type: string; data: unknown; recordedAt: Date; streamVersion: number }[]): ScenarioInfo | null {
  let info: ScenarioInfo | null = null;
  for (const event of events) {
    if (event.type === 'ScenarioOpened') {
      const d = event.data as ScenarioEventData['ScenarioOpened'];
      info = {
        name: d.name, status: 'open', base: d.base, until: d.until, from: d.from, description: d.description ?? null, openedAt: event.recordedAt.toISOString(), openedBy: d.by,
        rebasedAt: null, closedAt: null, closedBy: null, events: 0, version: event.streamVersion,
      };
      continue;
    }
    if (!info) continue;
    info.version = event.streamVersion;
    if (event.type === 'ScenarioRebased') {
      const d = event.data as ScenarioEventData['ScenarioRebased'];
      Object.assign(info, { base: d.base, until: d.until, from: d.from, rebasedAt: event.recordedAt.toISOString() });
    } else if (event.type === 'ScenarioClosed') {
      Object.assign(info, { status: 'closed', closedAt: event.recordedAt.toISOString(), closedBy: (event.data as ScenarioEventData['ScenarioClosed']).by });
    } else {
      info.events += 1;
    }
  }
  return info;
}
