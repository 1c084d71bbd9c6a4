import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { AppModule } from '../app.module';
import { loadConfig, personName, type Config } from '../config/config';
import { DataDirLocked } from '../database/embedded';
import { serverAddress } from '../database/server-address';
import { createClient, type ParleyClient } from '@parley/client';

export type Target =
  | { kind: 'local'; app: INestApplicationContext; config: Config }
  /** A running server, through the typed client (clients/typescript): by typed route, or callRemote. */
  | { kind: 'remote'; url: string; apiKey?: string; client: ParleyClient };

/**
 * Where a CLI command runs: in-process on the database (PostgreSQL, or the embedded one when
 * no server holds it), or through a running server's HTTP API when that server holds the
 * embedded data dir: PARLEY_URL, else the URL that server recorded in the data dir, else
 * http://127.0.0.1:3000.
 */
export async function openTarget(): Promise<Target> {
  const config = loadConfig({ LOG_LEVEL: 'warn', PARLEY_LOAD_EXAMPLE: 'never', ...process.env });
  try {
    const app = await NestFactory.createApplicationContext(AppModule.forCli(config), { logger: false, abortOnError: false });
    return { kind: 'local', app, config };
  } catch (error) {
    if (!(error instanceof DataDirLocked)) throw error;
    const url = process.env.PARLEY_URL ?? serverAddress(config.PARLEY_DATA_DIR) ?? 'http://127.0.0.1:3000';
    process.stderr.write(`parley: ${config.PARLEY_DATA_DIR} is held by a running server; going through ${url}\n`);
    const apiKey = process.env.PARLEY_API_KEY;
    return { kind: 'remote', url, ...(apiKey ? { apiKey } : {}), client: createClient(url, apiKey ? { apiKey } : {}) };
  }
}

export async function closeTarget(target: Target): Promise<void> {
  if (target.kind === 'local') await target.app.close();
}

/** Runs `work` on the command's target (openTarget), closed whatever happens. */
export async function withTarget<T>(work: (target: Target) => Promise<T>): Promise<T> {
  const target = await openTarget();
  try {
    return await work(target);
  } finally {
    await closeTarget(target);
  }
}

/** `--as <name>`: who did it, on a local database; a person's name as keys name them. */
export function asName(as: string | undefined): string | null {
  if (as === undefined) return null;
  const parsed = personName.safeParse(as);
  if (!parsed.success) throw new Error(`--as: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

/**
 * Calls the running server through the typed client (its base URL and key), for the commands
 * whose route is built at run time or whose body is a file (NDJSON imports, restores): the
 * answer's status and JSON body, a non-2xx included.
 */
export async function callRemote(
  target: Extract<Target, { kind: 'remote' }>,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    const { data, error, response } = await target.client.request((init.method ?? 'GET').toLowerCase() as never, path as never, {
      ...(init.headers ? { headers: init.headers } : {}),
      // The body is sent as it is (NDJSON, or JSON the caller wrote).
      ...(init.body === undefined ? {} : { body: init.body, bodySerializer: (body: unknown) => body }),
    } as never);
    return { status: response.status, body: ((data ?? error ?? {}) as Record<string, unknown>) };
  } catch (error) {
    throw new Error(`Cannot reach the server at ${target.url}: ${(error as Error).message}`);
  }
}

/** A server's error answer as one readable line: what went wrong and what to do. */
export function serverError(status: number, body: Record<string, unknown> | string): Error {
  const answer = typeof body === 'string' ? parsed(body) : body;
  if (status === 401) return new Error('the server needs an API key: set PARLEY_API_KEY to a key from its PARLEY_API_KEYS');
  if (status === 403) return new Error("the server refused: PARLEY_API_KEY's role is too weak for this command");
  const issues = Array.isArray(answer.issues) ? (answer.issues as { path?: unknown[]; message?: string; line?: number }[]) : [];
  const detail = issues.length > 0
    ? issues.map((i) => `${i.line ? `line ${i.line}: ` : ''}${(i.path ?? []).join('.')}: ${i.message}`).join('; ')
    : String(answer.message ?? answer.error ?? (typeof body === 'string' ? body : JSON.stringify(body)));
  return new Error(`the server answered ${status}${answer.error ? ` (${String(answer.error)})` : ''}: ${detail}`);
}

function parsed(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
