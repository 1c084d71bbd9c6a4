import { Kysely, PostgresDialect } from 'kysely';
import { Pool, types, type PoolClient } from 'pg';
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
  close(): Promise<void>;
}

// Timestamps as Date; int8 stays a string (positions can pass 2^53 in theory) and is converted
// where it is read.
types.setTypeParser(types.builtins.TIMESTAMPTZ, (value) => new Date(value));

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
    close: () => db.destroy(),
  };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
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
  const connect = async (): Promise<void> => {
    const next = await pool.connect();
    next.on('notification', onNotification);
    next.on('error', () => {
      // Only a connection we still hold is ours to release and replace.
      if (client !== next) return;
      client = undefined;
      next.release(true);
      if (!stopped) void retry();
    });
    await next.query(`LISTEN ${quoteIdentifier(channel)}`);
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
