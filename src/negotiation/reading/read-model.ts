import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { DatabaseConnection } from '../../database/connection';
import { DATABASE } from '../../database/database.module';
import type { Database } from '../../database/schema';
import { EventStore } from '../../event-store/event-store';
import { UnknownNegotiation } from '../domain/errors';
import type { AsOf } from '../stances/stance';
import { ProjectionsService } from '../../projection-runner/projections.service';
import { rulesStream } from '../domain/streams';
import { UnknownVersion } from './errors';
import { readConsistency } from './read-consistency';

/** An as-of question as asked: what is not given means "now", by the database's clock. */
export interface AsOfQuery {
  at?: Date | undefined;
  knownAt?: Date | undefined;
  publicAt?: Date | undefined;
  /** Only the stream's events 1..version count (a cited version). */
  version?: number | undefined;
}

export interface OpenRead {
  db: Kysely<Database>;
  /** The database's clock when the read arrived. */
  now: Date;
  asOf(query: AsOfQuery): AsOf;
}

/** What every as-of query starts with: the negotiation exists, and the projection has caught up. */
@Injectable()
export class ReadModel {
  constructor(
    @Inject(DATABASE) private readonly connection: DatabaseConnection,
    private readonly store: EventStore,
    private readonly projections: ProjectionsService,
  ) {}

  async open(negotiationId: string): Promise<OpenRead> {
    if ((await this.store.streamVersion(negotiationId)) === 0) throw new UnknownNegotiation(negotiationId);
    const now = await this.projections.caughtUp([negotiationId, rulesStream(negotiationId)], readConsistency().minPosition);
    return { db: this.connection.db, now, asOf: (query) => ({ at: query.at ?? now, knownAt: query.knownAt ?? now, publicAt: query.publicAt }) };
  }

  /** open(), with the question's missing times filled in from the database's clock. */
  async openAsOf(negotiationId: string, query: AsOfQuery): Promise<{ db: Kysely<Database>; asOf: AsOf }> {
    const read = await this.open(negotiationId);
    const asOf = read.asOf(query);
    if (query.version === undefined) return { db: read.db, asOf };
    return { db: read.db, asOf: { ...asOf, upTo: await this.positionOf(negotiationId, query.version) } };
  }

  /** The global position of a stream's n-th event: what "version n" bounds reads by. */
  private async positionOf(negotiationId: string, version: number): Promise<number> {
    const row = await this.connection.db
      .selectFrom('events')
      .select('global_position')
      .where('stream_id', '=', negotiationId)
      .where('stream_version', '=', version)
      .executeTakeFirst();
    if (!row) throw new UnknownVersion(negotiationId, version, await this.store.streamVersion(negotiationId));
    return Number(row.global_position);
  }
}
