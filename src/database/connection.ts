import { Kysely, PostgresDialect } from 'kysely';
import { Pool, type PoolClient } from 'pg';
import { withBulkSession, type BulkSession } from './bulk-insert';
import { NotPrimaryError } from './errors';
import { Notifications, type NotificationHandler } from './notifications';
import './pg-types';
import type { Database } from './schema';
import { trySessionLock, type HeldLock } from './session-lock';

export type { HeldLock } from './session-lock';
export type { NotificationHandler } from './notifications';

/**
 * The database Parley runs on: kysely for queries, plus LISTEN, which needs a connection of
 * its own on PostgreSQL (one per process, shared by every listener: notifications.ts) and
 * PGlite's own API when embedded.
 */
export interface DatabaseConnection {
  readonly kind: 'postgres' | 'embedded';
  readonly db: Kysely<Database>;
  listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>>;
  /**
   * Takes a lock named `name` (session-lock.ts `LOCKS`) for as long as the caller holds it,
   * across processes, without waiting: the held lock, or undefined when someone else holds it.
   */
  tryLock(name: string): Promise<HeldLock | undefined>;
  /** A session of its own with COPY, for bulk writes (PostgreSQL only: undefined when embedded). */
  readonly bulkSession?: <T>(work: (session: BulkSession) => Promise<T>) => Promise<T>;
  close(): Promise<void>;
}

/** The pool, kysely over it, one listening connection and session locks. */
export function connectPostgres(url: string, poolSize = 10, options: { primary?: boolean } = {}): DatabaseConnection {
  const pool = new Pool({ connectionString: url, max: poolSize, ...(options.primary ? { verify: verifyPrimary } : {}) });
  // A client losing its server (idle, or checked out between statements) must not crash the
  // process: the query in flight fails (503), and the pool replaces the client.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const notifications = new Notifications(pool);
  return {
    kind: 'postgres',
    db,
    listen: (channel, handler) => notifications.listen(channel, handler),
    tryLock: (name) => trySessionLock(pool, name),
    bulkSession: (work) => withBulkSession(pool, work),
    close: () => db.destroy(),
  };
}

/**
 * For the primary's pool: a new connection is used only if its server accepts writes. Behind
 * HAProxy or a Kubernetes `-rw` Service, a connection made during a switchover can reach the old
 * primary after its demotion (or a standby); writes, LISTEN and the leader lock there would fail
 * later, or, for LISTEN, wait for notifications that never come. Refused here, the caller sees
 * an unavailable database (a 503 with Retry-After) and the next connection is tried afresh.
 */
function verifyPrimary(client: PoolClient, done: (error?: Error) => void): void {
  client.query<{ standby: boolean }>('select pg_is_in_recovery() as standby').then(
    ({ rows }) => done(rows[0]?.standby ? new NotPrimaryError() : undefined),
    (error: Error) => done(error),
  );
}
