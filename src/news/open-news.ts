import type { Kysely } from 'kysely';
import type { Database } from '../database/schema';
import type { ReadContext, ReadGate } from '../projection-runner/read-gate';
import { negotiationCheck } from '../negotiation/reading/open-as-of';

/**
 * What news reads start with, through the one read gate. News lives on `<nid>.news` and on
 * source streams, beyond the negotiation's own, so a read waits for the whole log up to its
 * position, and is answered by the primary (replicas serve the negotiation's as-of reads
 * only: docs/scaling.md). 404 for an unknown negotiation when one is named.
 */
export async function openNews(gate: ReadGate, negotiationId?: string, read?: ReadContext): Promise<Kysely<Database>> {
  const check = negotiationId === undefined ? undefined : negotiationCheck(negotiationId);
  return (await gate.open({ streams: 'all', stream: negotiationId, check, read, replicas: false })).db;
}
