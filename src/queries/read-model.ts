import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import type { Database } from '../database/schema';
import { EventStore } from '../event-store/event-store';
import { UnknownNegotiation } from '../negotiation/errors';
import { ProjectionsService } from '../projections/projections.service';

/** What every as-of query starts with: the negotiation exists, and the projection has caught up. */
@Injectable()
export class ReadModel {
  constructor(
    @Inject(DATABASE) private readonly connection: DatabaseConnection,
    private readonly store: EventStore,
    private readonly projections: ProjectionsService,
  ) {}

  async open(negotiationId: string): Promise<Kysely<Database>> {
    if ((await this.store.streamVersion(negotiationId)) === 0) throw new UnknownNegotiation(negotiationId);
    await this.projections.caughtUp();
    return this.connection.db;
  }
}
