import { Kysely, PostgresDialect } from 'kysely';
import { Pool, types, type PoolClient } from 'pg';
import { withBulkSession, type BulkSession } from './bulk-insert';
import { quoteIdentifier } from './identifiers';
import type { Database } from './schema';

/** A notification handler; payload as sent by pg_notify. */
export type NotificationHandler = (payload: string) => void;

/**
 * The database Parley runs on: kysely for queries, plus LISTEN, which needs a connection of
 * its own on PostgreSQL and PGlite's own API when embedded.
 */
export interface DatabaseConnection {
  readonly kind: 'postgres' | 'embedded';
  readonly db: Kysely<Database>;
  listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>>;
  /**
   * Takes a lock named `name` for as long as the caller holds it, across processes, without
   * waiting: the held lock, or undefined when someone else holds it.
   */
  tryLock(name: string): Promise<HeldLock | undefined>;
  /** A session of its own with COPY, for bulk writes (PostgreSQL only: undefined when embedded). */
  readonly bulkSession?: <T>(work: (session: BulkSession) => Promise<T>) => Promise<T>;
  close(): Promise<void>;
}

export interface HeldLock {
  release(): Promise<void>;
  /** Whether the lock is still ours: false once its connection has gone (PostgreSQL freed it). */
  alive(): Promise<boolean>;
}

/** For the embedded database: its data dir lock already keeps other processes out. */
export function inProcessLocks(): DatabaseConnection['tryLock'] {
  const held = new Set<string>();
  return async (name) => {
    if (held.has(name)) return undefined;
    held.add(name);
    return {
      release: async () => {
        held.delete(name);
      },
      alive: async () => held.has(name),
    };
  };
}

// Timestamps as Date, parsed by pg's own parser (postgres-date), which reads every form
// PostgreSQL writes, `0001-01-01 00:00:00+00 BC` included: `new Date(text)` cannot, and one
// such row would make every reader throw. `infinity` becomes the largest Date. int8 stays a
// string (positions can pass 2^53 in theory) and is converted where it is read.
const parseTimestamp = types.getTypeParser(types.builtins.TIMESTAMPTZ) as (value: string) => Date | number;
const LARGEST_DATE_MS = 8.64e15;
types.setTypeParser(types.builtins.TIMESTAMPTZ, (value: string) => {
  const parsed = parseTimestamp(value);
  if (parsed instanceof Date) return parsed;
  return new Date(parsed > 0 ? LARGEST_DATE_MS : -LARGEST_DATE_MS);
});

export function connectPostgres(url: string, poolSize = 10): DatabaseConnection {
  const pool = new Pool({ connectionString: url, max: poolSize });
  // A client losing its server (idle, or checked out between statements) must not crash the
  // process: the query in flight fails (503), and the pool replaces the client.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    listen: (channel, handler) => listenWithReconnect(pool, channel, handler),
    tryLock: (name) => trySessionLock(pool, name),
    bulkSession: (work) => withBulkSession(pool, work),
    close: () => db.destroy(),
  };
}

/**
 * A session-level advisory lock on a connection of its own, held until released (or until
 * that connection dies, when PostgreSQL frees it).
 */
async function trySessionLock(pool: Pool, name: string): Promise<HeldLock | undefined> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [name]);
    if (!rows[0]?.locked) {
      client.release();
      return undefined;
    }
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  let lost = false;
  // A dead session is given back to the pool at once (destroyed), or its slot would leak.
  client.on('error', (error) => {
    if (lost) return;
    lost = true;
    client.release(error);
  });
  return {
    async release() {
      if (lost) return;
      lost = true;
      try {
        await client.query('select pg_advisory_unlock(hashtext($1))', [name]);
        client.release();
      } catch (error) {
        client.release(error as Error);
      }
    },
    // The heartbeat: a query on the lock's own session. If it fails, the session (and with it
    // the lock) is gone: whoever holds it now is someone else.
    async alive() {
      if (lost) return false;
      try {
        await client.query('select 1');
        return true;
      } catch (error) {
        lost = true;
        client.release(error as Error);
        return false;
      }
    },
  };
}

/**
 * LISTEN on a dedicated connection that comes back by itself: if the server goes away, the
 * connection is replaced (retrying every second) and LISTEN issued again. Notifications sent
 * while it was down are lost, which is why every loop also polls.
 */
async function listenWithReconnect(pool: Pool, channel: string, handler: NotificationHandler): Promise<() => Promise<void>> {
  let stopped = false;
  let retrying = false;
  let client: PoolClient | undefined;
  const onNotification = (message: { channel: string; payload?: string }) => {
    if (message.channel === channel) handler(message.payload ?? '');
  };
  // Every client taken from the pool is released exactly once, whatever fails when: one left
  // checked out would make the pool's end (shutdown) wait for it forever.
  const connect = async (): Promise<void> => {
    const next = await pool.connect();
    let released = false;
    const release = (error?: Error) => {
      if (released) return;
      released = true;
      next.off('notification', onNotification);
      next.release(error ?? true);
    };
    next.on('notification', onNotification);
    next.on('error', (error) => {
      // Only a connection we still hold is ours to replace; one still connecting fails its LISTEN.
      if (client !== next) return;
      client = undefined;
      release(error);
      if (!stopped) void retry();
    });
    try {
      await next.query(`LISTEN ${quoteIdentifier(channel)}`);
    } catch (error) {
      release(error as Error);
      throw error;
    }
    // Stopped while this one was connecting: nobody would release it.
    if (stopped) return release();
    client = next;
  };
  const retry = async (): Promise<void> => {
    if (retrying) return;
    retrying = true;
    while (!stopped && !client) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await connect().catch(() => undefined);
    }
    retrying = false;
  };
  await connect();
  return async () => {
    stopped = true;
    const current = client;
    client = undefined;
    if (!current) return;
    current.off('notification', onNotification);
    try {
      await current.query(`UNLISTEN ${quoteIdentifier(channel)}`);
      current.release();
    } catch (error) {
      current.release(error as Error);
    }
  };
}
