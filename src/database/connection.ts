import { Kysely, PostgresDialect } from 'kysely';
import { Pool, types } from 'pg';
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
  // An idle client losing its server must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    async listen(channel, handler) {
      const client = await pool.connect();
      const onNotification = (message: { channel: string; payload?: string }) => {
        if (message.channel === channel) handler(message.payload ?? '');
      };
      client.on('notification', onNotification);
      await client.query(`LISTEN ${quoteIdentifier(channel)}`);
      return async () => {
        client.off('notification', onNotification);
        try {
          await client.query(`UNLISTEN ${quoteIdentifier(channel)}`);
          client.release();
        } catch (error) {
          client.release(error as Error);
        }
      };
    },
    close: () => db.destroy(),
  };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
