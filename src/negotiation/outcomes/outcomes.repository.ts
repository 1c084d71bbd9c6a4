import { sql, type Kysely } from 'kysely';
import type { Database } from '../../database/schema';
import type { Source } from '../domain/events';
import type { Scope } from '../stances/stance';
import { recordedOutcomes, type OutcomeLogEvent, type RecordedOutcome } from './recorded-outcomes';

/**
 * The negotiation's recorded outcomes as known at the scope's knownAt (within a cited version
 * when asked): read from the log itself, the outcome events and the amendments that target
 * them, folded by recordedOutcomes. A negotiation records a handful; no projection is needed.
 */
export async function outcomesKnown(db: Kysely<Database>, negotiationId: string, scope: Pick<Scope, 'knownAt' | 'upTo'>): Promise<RecordedOutcome[]> {
  const { rows } = await sql<{ id: string; type: OutcomeLogEvent['type']; data: unknown; occurred_at: Date; recorded_at: Date; global_position: string; source: Source | null }>`
    select e.id, e.type, e.data, e.occurred_at, e.recorded_at, e.global_position, e.metadata -> 'source' as source
    from events e
    where e.stream_id = ${negotiationId}
      and e.recorded_at <= ${scope.knownAt}
      ${scope.upTo === undefined ? sql`` : sql`and e.global_position <= ${scope.upTo}`}
      and (e.type = 'OutcomeRecorded'
        or (e.type in ('EventCorrected', 'EventRetracted')
            and e.data ->> 'target' in (select o.id::text from events o where o.stream_id = ${negotiationId} and o.type = 'OutcomeRecorded')))
    order by e.global_position`.execute(db);
  return recordedOutcomes(
    rows.map((r) => ({ id: r.id, type: r.type, data: r.data, occurredAt: r.occurred_at, recordedAt: r.recorded_at, globalPosition: Number(r.global_position), source: r.source })),
    scope.knownAt,
  );
}
