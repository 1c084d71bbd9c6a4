import type { Pool } from 'pg';

export interface HeldLock {
  release(): Promise<void>;
  /** Whether the lock is still ours: false once its connection has gone (PostgreSQL freed it). */
  alive(): Promise<boolean>;
}

/** Every lock Parley takes by name, so no two uses share one by accident. */
export const LOCKS = {
  /** The leader: runs the projector and the background work (projection-runner/leadership.ts). */
  leader: 'parley.leader',
  /** One rebuild at a time (projection-runner/rebuild.ts). */
  rebuild: 'parley.rebuild',
} as const;

/**
 * Transaction-level advisory locks, by number (pg_advisory_xact_lock takes a bigint). Never
 * renumber one: during a rolling upgrade old and new instances must take the same lock.
 */
export const TRANSACTION_LOCKS = {
  /** One projector batch (or a rebuild's swap) at a time, across processes. */
  projections: 727275,
} as const;

/** For the embedded database: its data dir lock already keeps other processes out. */
export function inProcessLocks(): (name: string) => Promise<HeldLock | undefined> {
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

/**
 * A session-level advisory lock on a connection of its own, held until released (or until
 * that connection dies, when PostgreSQL frees it).
 */
export async function trySessionLock(pool: Pool, name: string): Promise<HeldLock | undefined> {
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
