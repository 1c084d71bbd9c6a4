import createFetchClient, { type Client, type ClientPathsWithMethod } from 'openapi-fetch';
import type { paths } from './schema';

export type { components, operations, paths } from './schema';

/** Every error body Parley answers with, as the document publishes it (one schema for all routes). */
export type ParleyErrorBody = paths['/negotiations/{nid}/events']['post']['responses'][422]['content']['application/json'];

/** The contract's error codes (docs/api.md "Errors"). */
export type ErrorCode = ParleyErrorBody['error'];

/** A refused request as a value: the status, the contract's code, and the body as answered. */
export class ParleyError extends Error {
  constructor(
    readonly status: number,
    readonly body: ParleyErrorBody,
  ) {
    super(`${status} ${body.error}: ${body.issues?.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') || body.message || ''}`);
    this.name = 'ParleyError';
  }

  get code(): ErrorCode {
    return this.body.error;
  }
}

export interface ParleyClientOptions {
  /** A key from the server's PARLEY_API_KEYS, sent as a bearer token. */
  apiKey?: string;
  /** Extra headers on every request (an X-Request-Id, say). */
  headers?: Record<string, string>;
  fetch?: (input: Request) => Promise<Response>;
}

export type ParleyClient = Client<paths>;

/** The routes a GET may name. */
export type GetPath = ClientPathsWithMethod<ParleyClient, 'get'>;

/**
 * A typed client for one Parley server: `client.GET('/negotiations/{nid}/stances', { params:
 * { path: { nid }, query: { at } } })` answers `{ data }` typed from the OpenAPI document, or
 * `{ error }` typed as Parley's error body. Paths, parameters and bodies fail `tsc` when wrong.
 */
export function createClient(baseUrl: string, options: ParleyClientOptions = {}): ParleyClient {
  return createFetchClient<paths>({
    baseUrl,
    headers: { ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}), ...options.headers },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** The data of an answer, or a ParleyError thrown with the contract's code (for code that prefers exceptions). */
export async function orThrow<T>(answer: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await answer;
  if (error !== undefined || !response.ok) throw new ParleyError(response.status, (error ?? { error: 'http_error' as const }) as ParleyErrorBody);
  return data as T;
}
