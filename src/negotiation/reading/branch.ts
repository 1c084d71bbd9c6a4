import type { Kysely } from 'kysely';
import type { Database } from '../../database/schema';
import { isScenarioEventType, scenarioInfo, type ScenarioInfo } from '../domain/scenarios';
import { scenarioStream } from '../domain/streams';
import type { Branch } from '../stances/stance';
import { UnknownScenario } from './errors';

/** A branch's description from its stream's bookkeeping events (one indexed read), or null. */
export async function readScenario(db: Kysely<Database>, negotiationId: string, name: string): Promise<ScenarioInfo | null> {
  const rows = await db
    .selectFrom('events')
    .select(['type', 'data', 'recorded_at', 'stream_version'])
    .where('stream_id', '=', scenarioStream(negotiationId, name))
    .orderBy('stream_version')
    .execute();
  // Hypothetical events are counted, not read: only the bookkeeping's data is kept.
  return scenarioInfo(rows.map((r) => ({ type: r.type, data: isScenarioEventType(r.type) ? r.data : null, recordedAt: r.recorded_at, streamVersion: r.stream_version })));
}

/** The branch a read names: 404 when the negotiation has no such scenario, or it was closed. */
export async function branchOf(db: Kysely<Database>, negotiationId: string, name: string): Promise<Branch> {
  const info = await readScenario(db, negotiationId, name);
  if (!info) throw new UnknownScenario(negotiationId, name);
  if (info.status === 'closed') throw new UnknownScenario(negotiationId, name, info.closedAt!);
  return { name, key: scenarioStream(negotiationId, name), base: info.base, until: info.until ? new Date(info.until) : null };
}
