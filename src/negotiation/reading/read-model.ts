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
import { REPLICAS, type Replicas } from '../../database/replicas';
import { CONFIG, type Config } from '../../config/config';
import { replicaHasLog, replicaHolds } from '../../projection-runner/replica-wait';

/** How often a read waiting on a replica looks again (a standby cannot LISTEN). */
const REPLICA_POLL_MS = 10;

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
    @Inject(REPLICAS) private readonly replicas: Replicas,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /**
   * Where the read is answered: a replica whose projections hold every event the read must
   * see (its `Parley-Min-Position`, else the primary's head when it arrived), or else the
   * primary, once its projector has caught up. The answer's Parley-Served-By says which.
   */
  async open(negotiationId: string): Promise<OpenRead> {
    if ((await this.store.streamVersion(negotiationId)) === 0) throw new UnknownNegotiation(negotiationId);
    const streams = [negotiationId, rulesStream(negotiationId)];
    const { minPosition, servedBy } = readConsistency();
    const replica = await this.onReplica(streams, minPosition);
    const served = replica ?? { db: this.connection.db, now: await this.projections.caughtUp(streams, minPosition), by: 'primary' };
    servedBy?.(served.by);
    const { now } = served;
    return { db: served.db, now, asOf: (query) => ({ at: query.at ?? now, knownAt: query.knownAt ?? now, publicAt: query.publicAt }) };
  }

  /** A replica whose projections hold `streams` up to the read's position, or undefined. */
  private async onReplica(streams: string[], minPosition: number | undefined): Promise<{ db: Kysely<Database>; now: Date; by: string } | undefined> {
    if (this.replicas.size === 0) return undefined;
    const head = await this.store.head();
    const replica = await this.replicaWhere((db) => replicaHolds(db, minPosition ?? head.position, streams));
    return replica && { ...replica, now: head.now };
  }

  /**
   * Where a page of the log is read: a replica whose log has replayed everything the read must
   * see (its Parley-Min-Position, else the primary's head when it arrived), else the primary.
   * Positions are gap-free and commit in order, so a replica's log is a prefix of the primary's.
   */
  async openLog(): Promise<Kysely<Database>> {
    const { minPosition, servedBy } = readConsistency();
    let replica: { db: Kysely<Database>; by: string } | undefined;
    if (this.replicas.size > 0) {
      const position = minPosition ?? (await this.store.head()).position;
      replica = await this.replicaWhere((db) => replicaHasLog(db, position));
    }
    servedBy?.(replica?.by ?? 'primary');
    return replica?.db ?? this.connection.db;
  }

  /**
   * The next replica, once `holds` is true of it, polled (a standby cannot LISTEN) for at most
   * PARLEY_REPLICA_MAX_WAIT_MS; undefined sends the read to the primary. A replica that errors
   * (down or restarting) rests a while.
   */
  private async replicaWhere(holds: (db: Kysely<Database>) => Promise<boolean>): Promise<{ db: Kysely<Database>; by: string } | undefined> {
    const picked = this.replicas.pick();
    if (!picked) return undefined;
    const deadline = Date.now() + this.config.PARLEY_REPLICA_MAX_WAIT_MS;
    try {
      for (;;) {
        if (await holds(picked.connection.db)) return { db: picked.connection.db, by: `replica-${picked.index}` };
        if (Date.now() >= deadline) return undefined;
        await new Promise((resolve) => setTimeout(resolve, REPLICA_POLL_MS));
      }
    } catch {
      this.replicas.rest(picked.index);
      return undefined;
    }
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
