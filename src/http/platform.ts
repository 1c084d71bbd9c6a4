import type { NestFastifyApplication } from '@nestjs/platform-fastify';
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
