import { sql, type Kysely } from 'kysely';
import type { Database } from './schema';

/** Which server answered, and whether it takes writes (for /health and /readyz). */
export interface ServerRole {
  writable: boolean;
  /** The server's own address and port (behind HAProxy, the node it routed to); null embedded. */
  host: string | null;
  port: number | null;
  /** The primary's WAL timeline: it moves up by one at every promotion (null on a standby). */
  timeline: number | null;
}

/**
 * The primary's WAL timeline, read off the current WAL file's name (its first 8 hex digits): it
 * moves at promotion. pg_control_checkpoint() would wait for the next checkpoint and needs a
 * superuser. On a primary only (a standby has no current WAL position).
 */
export const PRIMARY_TIMELINE = sql<number>`('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int`;

export async function serverRole(db: Kysely<Database>): Promise<ServerRole> {
  const { rows } = await sql<{ standby: boolean; host: string | null; port: number | null; timeline: number | null }>`
    select pg_is_in_recovery() as standby, host(inet_server_addr()) as host, inet_server_port() as port,
      case when pg_is_in_recovery() then null
        else ${PRIMARY_TIMELINE} end as timeline`.execute(db);
  const row = rows[0]!;
  return { writable: !row.standby, host: row.host, port: row.port, timeline: row.timeline };
}
