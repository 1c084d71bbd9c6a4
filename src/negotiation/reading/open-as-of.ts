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
  const asOf: AsOf = { at: query.at ?? now, knownAt: query.knownAt ?? now, publicAt: query.publicAt };
  if (query.version !== undefined) asOf.upTo = found.versionPosition!;
  if (query.scenario !== undefined) asOf.branch = await branchOf(db, negotiationId, query.scenario);
  return { db, asOf, now };
}

/** What an answer that includes a branch says of it: `"scenario": name` (nothing for the record). */
export function scenarioStamp(asOf: AsOf): { scenario?: string } {
  return asOf.branch ? { scenario: asOf.branch.name } : {};
}
