import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import type { Database } from '../database/schema';
import { EventStore } from '../event-store/event-store';
import { UnknownNegotiation } from '../negotiation/domain/errors';
import { ProjectionsService } from '../projection-runner/projections.service';

/**
 * What news reads start with. News lives on `<nid>.news` and on source streams, beyond the
 * negotiation's own, so a read waits for every write answered before it, and is answered by
 * the primary (replicas serve the negotiation's as-of reads only: docs/scaling.md).
 */
@Injectable()
export class NewsReadModel {
  constructor(
    @Inject(DATABASE) private readonly connection: DatabaseConnection,
    private readonly store: EventStore,
    private readonly projections: ProjectionsService,
  ) {}

  /** The news tables, caught up; 404 for an unknown negotiation when one is named. */
  async open(negotiationId?: string): Promise<Kysely<Database>> {
    if (negotiationId !== undefined && (await this.store.streamVersion(negotiationId)) === 0) throw new UnknownNegotiation(negotiationId);
    await this.projections.caughtUp('all');
    return this.connection.db;
  }
}
