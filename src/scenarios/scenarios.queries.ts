import { sql, type Kysely } from 'kysely';
import type { Database } from '../database/schema';
import { scenarioEventTypes, scenarioInfo, type ScenarioInfo } from '../negotiation/domain/scenarios';

/**
 * Every branch a negotiation has had, open or closed, in the order they were opened: the streams
 * a ScenarioOpened began (events_scenario_opened_idx), folded from their bookkeeping.
 */
export async function listScenarios(db: Kysely<Database>, negotiationId: string): Promise<ScenarioInfo[]> {
  const { rows } = await sql<{ stream_id: string; type: string; data: unknown; recorded_at: Date; stream_version: number }>`
    select e.stream_id, e.type, case when e.type = any(${scenarioEventTypes}::text[]) then e.data end as data, e.recorded_at, e.stream_version
    from events e
    where e.stream_id in (
      select o.stream_id from events o
      where o.type = 'ScenarioOpened' and left(o.stream_id, ${negotiationId.length + 10}) = ${`${negotiationId}.scenario.`})
    order by e.stream_id, e.stream_version`.execute(db);
  const byStream = new Map<string, typeof rows>();
  for (const row of rows) byStream.set(row.stream_id, [...(byStream.get(row.stream_id) ?? []), row]);
  return [...byStream.values()]
    .map((events) => scenarioInfo(events.map((e) => ({ type: e.type, data: e.data, recordedAt: e.recorded_at, streamVersion: e.stream_version })))!)
    .sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.name.localeCompare(b.name));
}
