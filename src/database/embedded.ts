import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import lockfile from 'proper-lockfile';
import { inProcessLocks, type DatabaseConnection } from './connection';
import type { Database } from './schema';

export class DataDirLocked extends Error {
  readonly code = 'DATABASE.DATA_DIR_LOCKED';
  constructor(readonly dataDir: string) {
    super(
      `The embedded database in ${dataDir} is in use by another Parley process. ` +
        'Stop that process, point PARLEY_DATA_DIR elsewhere, or talk to the running server ' +
        '(PARLEY_URL) instead.',
    );
  }
}

const LOCK_OPTIONS = { stale: 10_000, update: 2_000, onCompromised: () => undefined };

/**
 * Takes the data dir's lock. A lock whose owner (its pid file) is no longer alive, as after a
 * `kill -9`, is taken over at once rather than after it goes stale.
 */
async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const lockfilePath = resolve(dir, 'parley.lock');
  const pidFile = resolve(dir, 'parley.pid');
  const take = async () => {
    const release = await lockfile.lock(dir, { ...LOCK_OPTIONS, lockfilePath });
    writeFileSync(pidFile, String(process.pid));
    return release;
  };
  try {
    return await take();
  } catch (error) {
    if ((error as { code?: string }).code !== 'ELOCKED') throw error;
    if (ownerAlive(pidFile)) throw new DataDirLocked(dir);
    rmSync(lockfilePath, { recursive: true, force: true });
    try {
      return await take();
    } catch {
      throw new DataDirLocked(dir);
    }
  }
}

function ownerAlive(pidFile: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8'));
  } catch {
    return true; // no pid yet: the owner is still starting
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Opens the embedded PostgreSQL (PGlite) in `dataDir`. Nothing in PGlite stops two processes
 * from opening one data dir, which corrupts it, so we hold a lock file for as long as it is
 * open; a lock left by a killed process goes stale and is taken over.
 */
export async function connectEmbedded(dataDir: string): Promise<DatabaseConnection> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const release = await lockDataDir(dir);
  const pglite = await PGlite.create(resolve(dir, 'pgdata'));
  // PGlite has one connection; node-postgres' adapter exposes it as a pool of one, which
  // queues queries and keeps each kysely transaction on that single connection.
  const pool = new Pool(createPgConfig(pglite) as never);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'embedded',
    db,
    // PGlite runs LISTEN on its one backend: issued while a transaction of the pool is open, it
    // waits for that transaction, which waits for it. Holding the pool's only client first
    // means no transaction is open.
    async listen(channel, handler) {
      const client = await pool.connect();
      let unlisten: () => Promise<void>;
      try {
        unlisten = await pglite.listen(channel, handler);
      } finally {
        client.release();
      }
      return async () => {
        const again = await pool.connect();
        try {
          await unlisten();
        } finally {
          again.release();
        }
      };
    },
    tryLock: inProcessLocks(),
    async close() {
      await db.destroy();
      await pglite.close();
      await release();
    },
  };
}
