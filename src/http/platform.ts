import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The HTTP platform every controller, guard and interceptor is written against: Fastify, through
 * @nestjs/platform-fastify. Express served `/livez` at 5,641 req/s here where Fastify served
 * 26,874, and the cached stances answer at 5,016 against 15,045 (BENCHMARKS.md, section 5):
 * the framework was the largest cost of a cached read. Handlers that write the socket
 * themselves (the feed, the export) hijack the reply and write `reply.raw`.
 */
export type Request = FastifyRequest<{ Querystring: Record<string, string | string[] | undefined>; Params: Record<string, string | undefined> }>;
export type Response = FastifyReply;
export type HttpApplication = NestFastifyApplication;

/**
 * Takes the socket's response over from Fastify, for a handler that streams it itself: the
 * status and headers are written at once, with those already set on the reply (CORS, a
 * served-by) beside `headers`. `unframed`: no chunked framing, the body ends with the connection.
 */
export function takeOver(reply: Response, headers: Record<string, string>, { unframed = false } = {}): ServerResponse {
  reply.hijack();
  const raw = reply.raw;
  if (unframed) raw.useChunkedEncodingByDefault = false;
  raw.writeHead(200, { ...(reply.getHeaders() as Record<string, string>), ...headers });
  return raw;
}
