import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import type { DatabaseConnection } from './connection';
import { inProcessLocks } from './session-lock';
import { lockDataDir, type DataDirLockOptions } from './data-dir-lock';
import type { Database } from './schema';

/** Losing the lock means another process may be writing: stop at once rather than corrupt. */
function stopOnLostLock(dir: string) {
  return (reason: string) => {
    process.stderr.write(`parley: lost the lock on ${dir} (${reason}); stopping so two processes never write one data dir\n`);
    process.exit(70);
  };
}

export { DataDirLocked } from './data-dir-lock';

/**
 * Opens the embedded PostgreSQL (PGlite) in `dataDir`. Nothing in PGlite stops two processes
 * from opening one data dir, which corrupts it, so we hold a lock (src/database/data-dir-lock)
 * for as long as it is open.
 */
export async function connectEmbedded(dataDir: string, lock: Partial<DataDirLockOptions> = {}): Promise<DatabaseConnection> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const release = await lockDataDir(dir, { onLost: stopOnLostLock(dir), ...lock });
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
