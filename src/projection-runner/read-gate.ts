import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { CONFIG, type Config } from '../config/config';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import { REPLICAS, type Replicas } from '../database/replicas';
import type { Database } from '../database/schema';
import { FirstLooks, type FirstLook, type StreamFound } from './first-look';
import { PositionBeyondLog } from './errors';
import { ProjectionsService } from './projections.service';
import { replicaHasLog, replicaHolds } from './replica-wait';

/** How often a read waiting on a replica looks again (a standby cannot LISTEN). */
const REPLICA_POLL_MS = 10;

/**
 * What a read asks of consistency and what it is told back, passed explicitly from the edge
 * (the controller parses `Parley-Min-Position`; http/read-context.ts turns `servedBy`, when the
 * gate sets it, into `Parley-Served-By`). Without `minPosition` a read waits for the log's
 * head when it arrived.
 */
export interface ReadContext {
  /** Answer once the projections hold every event up to this global position (your own write). */
  readonly minPosition?: number | undefined;
  /** Set by the gate: which database answered (`primary`, `replica-0`, …). */
  servedBy?: string;
  /** Set by the gate: the log's position the answer reflects (every event up to it is in). */
  position?: number;
  /** The gate opened for this request, shared by whoever opens it again with the same request. */
  opened?: { key: string; gate: Promise<OpenGate> };
}

export type { StreamFound } from './first-look';

export interface GateRequest {
  /** The streams whose events the read must see projected; 'all' waits for the whole log. */
  streams: string[] | 'all';
  /** The stream `check` is told about: the first of `streams` unless named. */
  stream?: string | undefined;
  read?: ReadContext | undefined;
  /** Called with the first stream's version before any wait; throw to answer (a 404) at once. */
  check?: ((found: StreamFound) => void) | undefined;
  /** A version of the first stream whose global position the read is bounded by. */
  version?: number | undefined;
  /** False for reads that only the primary answers (news: docs/scaling.md). */
  replicas?: boolean;
}

export interface OpenGate {
  db: Kysely<Database>;
  /** The database's clock when the read arrived: what "now" means for the read. */
  now: Date;
  servedBy: string;
  found: StreamFound;
}

/**
 * The one way a read starts: a single round trip (shared with the reads that arrive beside it) reads the log's head, the database's clock,
 * the projection checkpoint and the named stream's version (so an unknown negotiation is a
 * 404 without a wait); then the read is sent to a replica whose projections hold what it must
 * see, or waits for the primary's projector (read your writes). docs/architecture.md.
 */
@Injectable()
export class ReadGate {
  private readonly looks: FirstLooks;

  constructor(
    @Inject(DATABASE) private readonly connection: DatabaseConnection,
    @Inject(REPLICAS) private readonly replicas: Replicas,
    @Inject(CONFIG) private readonly config: Config,
    private readonly projections: ProjectionsService,
  ) {
    this.looks = new FirstLooks(connection.db);
  }

  /** Opens the read; a request that opens it again the same way (a cache, then its query) shares it. */
  open(request: GateRequest): Promise<OpenGate> {
    const { read } = request;
    const key = JSON.stringify([request.streams, request.stream, request.version, request.replicas]);
    if (read?.opened?.key === key) return read.opened.gate;
    const gate = this.openOnce(request);
    if (read) read.opened = { key, gate };
    return gate;
  }

  private async openOnce({ streams, stream, read, check, version, replicas = true }: GateRequest): Promise<OpenGate> {
    const look = await this.firstLook(stream ?? (streams === 'all' ? null : streams[0]!), version, streams);
    check?.(look.found);
    const position = withinLog(read, look.head);
    const replica = replicas && streams !== 'all' ? await this.replicaWhere((db) => replicaHolds(db, position, streams)) : undefined;
    if (!replica) await this.projections.caughtUp(streams, position, look.checkpoint);
    const servedBy = replica?.by ?? 'primary';
    if (read) Object.assign(read, { servedBy, position });
    return { db: replica?.db ?? this.connection.db, now: look.now, servedBy, found: look.found };
  }

  /**
   * Where a page of the log is read: a replica whose log has replayed everything the read must
   * see (its minPosition, else the primary's head when it arrived), else the primary. Positions
   * are gap-free and commit in order, so a replica's log is a prefix of the primary's.
   */
  async openLog(read?: ReadContext, stream?: { id: string; check: (found: StreamFound) => void }): Promise<Kysely<Database>> {
    let replica: { db: Kysely<Database>; by: string } | undefined;
    if (this.replicas.size > 0 || stream) {
      const look = await this.firstLook(stream?.id ?? null);
      stream?.check(look.found);
      const position = withinLog(read, look.head);
      if (this.replicas.size > 0) replica = await this.replicaWhere((db) => replicaHasLog(db, position));
    }
    if (read) read.servedBy = replica?.by ?? 'primary';
    return replica?.db ?? this.connection.db;
  }

  /** The one round trip every read starts with, on the primary, grouped with the reads beside it (first-look.ts). */
  private firstLook(stream: string | null, version?: number, streams: string[] | 'all' = []): Promise<FirstLook> {
    return this.looks.look({ stream, version, streams });
  }

  /**
   * The next replica, once `holds` is true of it, polled for at most PARLEY_REPLICA_MAX_WAIT_MS;
   * undefined sends the read to the primary. A replica that errors (down or restarting) rests.
   */
  private async replicaWhere(holds: (db: Kysely<Database>) => Promise<boolean>): Promise<{ db: Kysely<Database>; by: string } | undefined> {
    const picked = this.replicas.size > 0 ? this.replicas.pick() : undefined;
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
}

/** The position a read must see: its minPosition, which the log must hold, else the head. */
function withinLog(read: ReadContext | undefined, head: number): number {
  if (read?.minPosition === undefined) return head;
  if (read.minPosition > head) throw new PositionBeyondLog(read.minPosition, head);
  return read.minPosition;
}
