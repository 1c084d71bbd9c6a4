import type { Kysely } from 'kysely';
import type { Database } from '../../database/schema';
import type { OpenGate, ReadContext, ReadGate, StreamFound } from '../../projection-runner/read-gate';
import { requireNegotiation } from '../domain/errors';
import { rulesStream, scenarioStream } from '../domain/streams';
import type { AsOf } from '../stances/stance';
import { InvalidRequest } from '../../shared/domain-error';
import { branchOf } from './branch';
import { UnknownVersion } from './errors';

/** An as-of question as asked: what is not given means "now", by the database's clock. */
export interface AsOfQuery {
  at?: Date | undefined;
  knownAt?: Date | undefined;
  publicAt?: Date | undefined;
  /** Only the stream's events 1..version count (a cited version). */
  version?: number | undefined;
  /** A scenario branch: the record up to its base and the branch's hypothetical events. */
  scenario?: string | undefined;
  /** Events known to a period count from its start (default) or its end. */
  periods?: 'start' | 'end' | undefined;
  /** With publicAt: amendments count as known (default) or once public. */
  corrections?: 'known' | 'public' | undefined;
}

/**
 * Opens a read of one negotiation through the gate: its own stream and its rules' are the
 * ones waited for; an unknown negotiation (or cited version) is answered at once.
 */
export function openNegotiation(gate: ReadGate, negotiationId: string, read?: ReadContext, version?: number, scenario?: string): Promise<OpenGate> {
  // A branch's read waits for its own stream too (read your hypothetical writes), and its
  // answers are fixed by that stream's last event as well (the as-of cache's tags).
  const streams = [negotiationId, rulesStream(negotiationId), ...(scenario === undefined ? [] : [scenarioStream(negotiationId, scenario)])];
  return gate.open({ streams, stream: negotiationId, read, version, check: negotiationCheck(negotiationId, version) });
}

/** The gate's check for one negotiation: 404 when it has no events, or not the cited version. */
export function negotiationCheck(negotiationId: string, version?: number): (found: StreamFound) => void {
  return (found) => {
    requireNegotiation(negotiationId, found.version);
    if (version !== undefined && found.versionPosition === null) throw new UnknownVersion(negotiationId, version, found.version);
  };
}

/** openNegotiation, with the question's missing times filled in from the database's clock. */
export async function openAsOf(gate: ReadGate, negotiationId: string, query: AsOfQuery, read?: ReadContext): Promise<{ db: Kysely<Database>; asOf: AsOf; now: Date }> {
  if (query.version !== undefined && query.scenario !== undefined) {
    throw new InvalidRequest([{ path: ['scenario'], message: 'A cited version is of the record: give version or scenario, not both' }]);
  }
  const { db, now, found } = await openNegotiation(gate, negotiationId, read, query.version, query.scenario);
  if (query.corrections === 'public' && query.publicAt === undefined) {
    throw new InvalidRequest([{ path: ['corrections'], message: 'corrections=public asks which corrections were public by publicAt: give publicAt' }]);
  }
  const asOf: AsOf = { at: query.at ?? now, knownAt: query.knownAt ?? now, publicAt: query.publicAt, periods: query.periods ?? 'start', corrections: query.corrections ?? 'known' };
  if (query.version !== undefined) asOf.upTo = found.versionPosition!;
  // A knownAt at or after the stream's last recording knows every event: no second look.
  const knowsAll = query.knownAt === undefined || found.lastRecordedAt === null || query.knownAt.getTime() >= found.lastRecordedAt.getTime();
  asOf.version = knowsAll ? (query.version ?? found.version) : Math.min(query.version ?? found.version, await versionKnownAt(db, negotiationId, query.knownAt!));
  if (query.scenario !== undefined) asOf.branch = await branchOf(db, negotiationId, query.scenario);
  return { db, asOf, now };
}

/**
 * The negotiation's version as known at `knownAt`: its events recorded by then are 1..v (a
 * stream's events are recorded in version order), so `version=v&knownAt=…` cites the answer.
 */
async function versionKnownAt(db: Kysely<Database>, negotiationId: string, knownAt: Date): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select('stream_version')
    .where('stream_id', '=', negotiationId)
    .where('recorded_at', '<=', knownAt)
    .orderBy('stream_version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.stream_version ?? 0;
}

/**
 * What every as-of answer echoes of the question beside its times: `publicAt` (null when not
 * asked), the record's `version` it was read at (events 1..version of the negotiation's stream
 * count, further bounded by knownAt, and so the version to cite with knownAt) and, for an answer
 * that includes a branch, `"scenario": name`.
 */
export function readStamp(asOf: AsOf): { publicAt: string | null; version: number; periods: 'start' | 'end'; corrections: 'known' | 'public'; scenario?: string } {
  return {
    publicAt: asOf.publicAt?.toISOString() ?? null,
    version: asOf.version ?? 0,
    periods: asOf.periods ?? 'start',
    corrections: asOf.corrections ?? 'known',
    ...(asOf.branch ? { scenario: asOf.branch.name } : {}),
  };
}
