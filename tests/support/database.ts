import { randomBytes } from 'node:crypto';
import { connectPostgres, type DatabaseConnection } from '../../src/database/connection';
import { DATABASE_PREFIX, TEMPLATE_ENV, databaseUrl, withAdminClient } from './test-server';

export interface TestDatabase {
  name: string;
  url: string;
  connection: DatabaseConnection;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own, cloned from the run's template. */
export async function createTestDatabase(poolSize = 10): Promise<TestDatabase> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error(`${TEMPLATE_ENV} is not set: run tests through jest's global setup`);
  const name = `${DATABASE_PREFIX}${Date.now()}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(async (client) => {
    // Cloning fails while another session uses the template; one clone at a time.
    await client.query('SELECT pg_advisory_lock(727274)');
    try {
      await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } finally {
      await client.query('SELECT pg_advisory_unlock(727274)');
    }
  });
  const url = databaseUrl(name);
  const connection = connectPostgres(url, poolSize);
  return {
    name,
    url,
    connection,
    async drop() {
      await connection.close();
      await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
