import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpApplication } from '../../src/http/platform';
import { loadConfig } from '../../src/config/config';
import { createServer } from '../../src/server';
import { createTestDatabase, type TestDatabase } from './database';
import { EMBEDDED_TEMPLATE_ENV } from './embedded';

export interface TestApp {
  url: string;
  /** Set on PostgreSQL; the embedded app has a data dir instead. */
  database: TestDatabase;
  app: HttpApplication;
  close(): Promise<void>;
}

/** Listens on a free loopback port; the URL to reach it. */
export async function listenOnLoopback(app: HttpApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

/** Parley on a loopback port of its own, over a fresh PostgreSQL database. */
export async function startTestApp(env: Record<string, string> = {}, shared?: TestDatabase): Promise<TestApp> {
  const database = shared ?? (await createTestDatabase());
  const config = loadConfig({ DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'silent', ...env });
  const app = await createServer(config);
  const url = await listenOnLoopback(app);
  return {
    url,
    database,
    app,
    async close() {
      await app.close();
      if (!shared) await database.drop();
    },
  };
}

/** Parley as `npm start` runs it: the embedded database, in a copy of the migrated template. */
export async function startEmbeddedTestApp(env: Record<string, string> = {}): Promise<Omit<TestApp, 'database'> & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-app-'));
  cpSync(process.env[EMBEDDED_TEMPLATE_ENV]!, dir, { recursive: true });
  const config = loadConfig({ PARLEY_DATA_DIR: dir, PARLEY_LOAD_EXAMPLE: 'never', LOG_LEVEL: 'silent', ...env });
  const app = await createServer(config);
  const url = await listenOnLoopback(app);
  return {
    url,
    dir,
    app,
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small HTTP client for tests: JSON in, JSON out, any content type on request. */
export async function call<T = any>(
  base: string,
  method: string,
  path: string,
  options: { json?: unknown; body?: string; contentType?: string; key?: string } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  }
  if (options.body !== undefined) body = options.body;
  if (options.contentType) headers['content-type'] = options.contentType;
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  const response = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}
