import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectEmbedded } from '../../src/database/embedded';
import type { DatabaseConnection } from '../../src/database/connection';
import { migrateToLatest } from '../../src/database/migrate';

export const EMBEDDED_TEMPLATE_ENV = 'PARLEY_TEST_EMBEDDED_TEMPLATE';

/** Creates a migrated embedded data dir (slow: initdb runs inside PGlite). */
export async function prepareEmbeddedTemplate(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-pglite-tpl-'));
  const connection = await connectEmbedded(dir);
  try {
    await migrateToLatest(connection.db);
  } finally {
    await connection.close();
  }
  return dir;
}

/** An embedded database of its own: a copy of the run's migrated template, opened. */
export async function createEmbeddedTestDatabase(): Promise<{
  dir: string;
  connection: DatabaseConnection;
  drop(): Promise<void>;
}> {
  const template = process.env[EMBEDDED_TEMPLATE_ENV];
  if (!template) throw new Error(`${EMBEDDED_TEMPLATE_ENV} is not set: run tests through jest`);
  const dir = mkdtempSync(join(tmpdir(), 'parley-pglite-'));
  cpSync(template, dir, { recursive: true, filter: (src) => !src.endsWith('parley.lock') });
  const connection = await connectEmbedded(dir);
  return {
    dir,
    connection,
    async drop() {
      await connection.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
