import { z } from 'zod';
import { createHash } from 'node:crypto';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import canonicalize from 'canonicalize';
import { EventStore } from '../../event-store/event-store';
import { requireNegotiation } from '../domain/errors';
import { UnknownVersion } from './errors';

/** A version number as a path or CLI argument: 1 or more. */
export const versionSchema = z.coerce.number().int().min(1).max(2_147_483_647);

export interface VersionAnswer {
  version: number;
  sha256: string;
  citation: string;
}

export class GetVersion extends Query<VersionAnswer> {
  constructor(
    readonly negotiationId: string,
    readonly version: number,
  ) {
    super();
  }
}

/**
 * The source as a fact: `itemId` is left out. It is an id (of a news item in this
 * installation's inbox, derived from the negotiation's name), so the published file, which
 * names no item, hashes the same once imported anywhere under any name.
 */
function citable(source: Record<string, unknown> | undefined): Record<string, unknown> | null {
  if (!source) return null;
  const { itemId: _itemId, ...fact } = source;
  return fact;
}

/**
 * A citable version of a negotiation: the SHA-256 of the canonical JSON (RFC 8785) of its
 * events 1..n as facts (type, occurredAt, datePrecision, data, source), without what an
 * installation assigns (ids, the source's itemId, positions, recordedAt), so any copy that imported the same
 * events gives the same hash.
 */
@QueryHandler(GetVersion)
export class GetVersionHandler implements IQueryHandler<GetVersion> {
  constructor(private readonly store: EventStore) {}

  async execute({ negotiationId, version }: GetVersion): Promise<VersionAnswer> {
    const current = requireNegotiation(negotiationId, await this.store.streamVersion(negotiationId));
    if (version > current) throw new UnknownVersion(negotiationId, version, current);
    const events = await this.store.readStream(negotiationId, { limit: version });
    const facts = events.map((e) => ({
      type: e.type,
      occurredAt: e.occurredAt.toISOString(),
      datePrecision: (e.metadata.datePrecision as string | undefined) ?? 'instant',
      data: e.data,
      source: citable(e.metadata.source as Record<string, unknown> | undefined),
    }));
    const sha256 = createHash('sha256').update(canonicalize(facts) ?? '').digest('hex');
    return { version, sha256, citation: `Parley negotiation "${negotiationId}", version ${version}, SHA-256 ${sha256}` };
  }
}
