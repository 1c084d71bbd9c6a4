import { sql, type Kysely } from 'kysely';
import type { Database } from '../database/schema';
import { isDatabaseUnavailable } from '../database/errors';
import { AppendOutcomeUnknown, type ExpectedVersion } from './errors';
import type { AppendResult } from './types';

// One call of parley_append (migrations/20261201_1500_append_set_based.ts): what a caller's
// append becomes in its document, how the answer becomes the caller's AppendResult, and the
// round trip itself.

export interface AppendCall {
  stream: string;
  expected: number | null;
  expectedAsGiven: ExpectedVersion;
  base: number | null;
  baseLast: string | null;
  /** The ids as the caller gave them, twins included: the answer follows this order. */
  order: string[];
  events: { id: string; type: string; sv: number; data: unknown; meta: Record<string, unknown>; at: string }[];
}

export type CallResult =
  | {
      status: 'appended' | 'stored';
      version: number;
      appended: number;
      /** The head before this call's first new event (null when it appended none). */
      first: number | string | null;
      stored: { id: string; position: number | string; version: number }[];
    }
  | { status: 'version_conflict' | 'stale'; actual: number }
  | { status: 'id_conflict'; id: string };

/**
 * Every event's position and version, in the caller's order (twins answered alike): stored
 * ones as the database found them, new ones after \`first\` in the order they were sent.
 */
export function positioned(call: AppendCall, result: Extract<CallResult, { status: 'appended' | 'stored' }>): AppendResult {
  const byId = new Map(result.stored.map((e) => [e.id, { id: e.id, globalPosition: Number(e.position), streamVersion: e.version }]));
  const first = Number(result.first);
  const before = result.version - result.appended;
  let rank = 0;
  for (const event of call.events) {
    if (!byId.has(event.id)) {
      rank += 1;
      byId.set(event.id, { id: event.id, globalPosition: first + rank, streamVersion: before + rank });
    }
  }
  return {
    streamVersion: result.version,
    events: call.order.map((id) => byId.get(id)!),
    appended: result.appended,
    skipped: call.order.length - result.appended,
  };
}

/** One round trip: every call of a group, in one parley_append (see its migration). */
export async function appendCalls(db: Kysely<Database>, calls: AppendCall[]): Promise<CallResult[]> {
  const document = JSON.stringify(calls.map(({ expectedAsGiven: _, order: __, ...call }) => call));
  const { rows } = await sql<{ results: CallResult[] }>`select parley_append(${document}::jsonb) as results`.execute(db);
  return rows[0]!.results;
}

/**
 * A group's call in autocommit: no BEGIN or COMMIT round trips. A connection that fails before
 * the call was sent wrote nothing; one lost during it may or may not have committed.
 */
export async function appendInAutocommit(db: Kysely<Database>, calls: AppendCall[]): Promise<CallResult[]> {
  let sent = false;
  try {
    return await db.connection().execute((connection) => {
      sent = true;
      return appendCalls(connection, calls);
    });
  } catch (error) {
    if (sent && isDatabaseUnavailable(error)) throw new AppendOutcomeUnknown(error);
    throw error;
  }
}
