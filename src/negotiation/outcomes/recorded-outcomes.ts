import type { EventData, Source } from '../domain/events';

/** What was agreed or decided on an issue, as known at some knownAt; `value` null: no agreement. */
export interface RecordedOutcome {
  issue: string;
  value: number | null;
  summary: string | null;
  document: string | null;
  eventId: string;
  occurredAt: Date;
  recordedAt: Date;
  /** When the latest correction in force was recorded; null when none. */
  correctedAt: Date | null;
  source: Source | null;
}

/** An OutcomeRecorded, or a correction or retraction of one, as the log holds it. */
export interface OutcomeLogEvent {
  id: string;
  type: 'OutcomeRecorded' | 'EventCorrected' | 'EventRetracted';
  data: unknown;
  occurredAt: Date;
  recordedAt: Date;
  globalPosition: number;
  source: Source | null;
}

/**
 * The recorded outcomes known at `knownAt`, by the as-of rule of positions: each outcome event
 * as its latest correction known then leaves it (a retraction removes it), and per issue the
 * one latest in valid time (on the same occurredAt, the later recorded) stands.
 */
export function recordedOutcomes(events: OutcomeLogEvent[], knownAt: Date): RecordedOutcome[] {
  const known = events.filter((e) => e.recordedAt.getTime() <= knownAt.getTime()).sort((a, b) => a.globalPosition - b.globalPosition);
  const byId = new Map<string, RecordedOutcome & { position: number }>();
  for (const event of known) {
    if (event.type === 'OutcomeRecorded') {
      const d = event.data as EventData['OutcomeRecorded'];
      byId.set(event.id, {
        issue: d.issue, value: d.value, summary: d.summary ?? null, document: d.document ?? null, eventId: event.id,
        occurredAt: event.occurredAt, recordedAt: event.recordedAt, correctedAt: null, source: event.source, position: event.globalPosition,
      });
    } else if (event.type === 'EventRetracted') {
      byId.delete((event.data as EventData['EventRetracted']).target);
    } else {
      const correction = event.data as EventData['EventCorrected'];
      const target = byId.get(correction.target);
      if (!target) continue;
      const d = correction.data as EventData['OutcomeRecorded'];
      byId.set(correction.target, {
        ...target, issue: d.issue, value: d.value, summary: d.summary ?? null, document: d.document ?? null,
        occurredAt: correction.occurredAt ? new Date(correction.occurredAt) : target.occurredAt, correctedAt: event.recordedAt,
      });
    }
  }
  const latest = new Map<string, RecordedOutcome & { position: number }>();
  for (const outcome of byId.values()) {
    const current = latest.get(outcome.issue);
    const later = !current || outcome.occurredAt > current.occurredAt || (outcome.occurredAt.getTime() === current.occurredAt.getTime() && outcome.position > current.position);
    if (later) latest.set(outcome.issue, outcome);
  }
  return [...latest.values()].sort((a, b) => a.issue.localeCompare(b.issue)).map(({ position, ...outcome }) => outcome);
}
