import { connectPostgres } from '../../src/database/connection';
import { migrateToLatest } from '../../src/database/migrate';
import { EMBEDDED_TEMPLATE_ENV, prepareEmbeddedTemplate } from './embedded';
import { DATABASE_PREFIX, TEMPLATE_ENV, databaseUrl, withAdminClient } from './test-server';

const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

/**
 * Finds a PostgreSQL server (TEST_DATABASE_URL, else a Testcontainers one), then builds one
 * migrated template database that every test file clones in milliseconds.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) {
    process.env.TEST_DATABASE_URL = await startContainer();
  }
  await dropStaleDatabases();
  const template = `${DATABASE_PREFIX}${Date.now()}_${process.pid}_tpl`;
  await withAdminClient((c) => c.query(`CREATE DATABASE ${template}`));
  const connection = connectPostgres(databaseUrl(template), 1);
  try {
    await migrateToLatest(connection.db);
  } finally {
    await connection.close();
  }
  process.env[TEMPLATE_ENV] = template;
  process.env[EMBEDDED_TEMPLATE_ENV] = await prepareEmbeddedTemplate();
}

async function startContainer(): Promise<string> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  try {
    const container = await new PostgreSqlContainer('postgres:16-alpine').start();
    (globalThis as { __parleyContainer?: unknown }).__parleyContainer = container;
    return container.getConnectionUri();
  } catch (error) {
    throw new Error(
      'Parley tests need PostgreSQL. Either set TEST_DATABASE_URL ' +
        '(e.g. postgres://postgres@127.0.0.1:5432/postgres) or start a Docker engine so ' +
        `Testcontainers can run one. Testcontainers said: ${(error as Error).message}`,
    );
  }
}

/** The machine's PostgreSQL outlives test runs: drop what killed runs left behind. */
async function dropStaleDatabases(): Promise<void> {
  await withAdminClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${DATABASE_PREFIX}%`],
    );
    for (const { datname } of rows) {
      const createdAt = Number(datname.slice(DATABASE_PREFIX.length).split('_')[0]);
      if (Date.now() - createdAt > STALE_AFTER_MS) {
        await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      }
    }
  });
}
