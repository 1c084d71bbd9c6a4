import { ArgumentsHost, Catch, HttpException, Inject, Logger, type ExceptionFilter } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config';
import { isDatabaseUnavailable } from '../database/errors';
import { BodyRefused, bodyLimits, limitFor, type BodyLimits } from './body-parsers';
import type { Request, Response } from './platform';
import { DomainError } from '../shared/domain-error';
import { answerFor, type Answer } from './error-table';

const logger = new Logger('HTTP');

/**
 * Every error becomes an answer here, and only here. Domain errors keep their names; anything
 * unexpected is a 500 that says nothing about our internals (the log has the details).
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly limits: BodyLimits;

  constructor(@Inject(CONFIG) config: Config) {
    this.limits = bodyLimits(config);
  }

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const answer = bodyAnswer(error, request, this.limits) ?? answerOf(error);
    send(request, host.switchToHttp().getResponse<Response>(), error, answer);
  }
}

/** Writes an error's answer, or cuts a stream that had begun (so the client sees an error, not a truncated clean end). */
function send(request: Request, response: Response, error: unknown, answer: Answer): void {
  if (answer.status >= 500) logger.error({ err: error }, 'request failed');
  if (response.sent || response.raw.headersSent) {
    // A stream (an export) failed half-way.
    response.raw.destroy();
    return;
  }
  if (answer.status === 401) response.header('WWW-Authenticate', 'Bearer');
  for (const [name, value] of Object.entries(answer.headers ?? {})) response.header(name, value);
  // The request's id (X-Request-Id), so a client can quote it and an operator find the log lines.
  void response.status(answer.status).send({ ...answer.body, requestId: request.id });
}

/**
 * A body refused before any controller ran: by our parsers (body-parsers.ts), or by Fastify for
 * its size. Nest hands Fastify's errors over as HttpExceptions with Fastify's status
 * (RoutesResolver.mapExternalException), so a 413 is known by its status; the answer names the
 * limit the body was read under.
 */
function bodyAnswer(error: unknown, request: Request, limits: BodyLimits): Answer | undefined {
  if (error instanceof BodyRefused) {
    return error.status === 400
      ? { status: 400, body: { error: 'invalid_request', issues: [{ path: [], message: error.message }] } }
      : { status: error.status, body: { error: 'unsupported_media_type', message: error.message } };
  }
  if (error instanceof HttpException && error.getStatus() === 413) {
    return { status: 413, body: { error: 'payload_too_large', message: `The body exceeds the limit of ${limitFor(request.headers['content-type'], limits)} bytes` } };
  }
  return undefined;
}

/** Every error's answer: domain errors keep their names; anything unexpected is a 500 that says nothing of our internals. */
function answerOf(error: unknown): Answer {
  if (error instanceof DomainError) {
    const answer = answerFor(error);
    if (answer) return answer;
  }
  if (isDatabaseUnavailable(error)) {
    // Not "nothing was written": a connection lost during COMMIT (a failover) leaves the write's
    // fate unknown to us. The retry with the same event ids is what makes it safe: recorded once.
    return {
      status: 503,
      body: { error: 'database_unavailable', message: 'The database does not answer (it may be failing over). Retry shortly; a write retried with the same event ids is recorded once.' },
      headers: { 'Retry-After': '1' },
    };
  }
  if (error instanceof HttpException) return httpExceptionAnswer(error);
  return { status: 500, body: { error: 'internal_error', message: 'Something went wrong on our side; it is logged.' } };
}

/**
 * HttpExceptions: our own carry `{error, …}` bodies; Nest's (a 404 for an unknown route, the
 * 400 it makes of a body that is not JSON) are reshaped to the same form.
 */
function httpExceptionAnswer(error: HttpException): Answer {
  const status = error.getStatus();
  const body = error.getResponse();
  if (typeof body === 'object' && body !== null && 'error' in body && !('statusCode' in body)) {
    return { status, body: body as Record<string, unknown> };
  }
  if (status === 400) {
    return { status, body: { error: 'invalid_request', issues: [{ path: [], message: `Malformed request: ${error.message}` }] } };
  }
  const name = status === 404 ? 'not_found' : status === 429 ? 'too_many_requests' : 'http_error';
  return { status, body: { error: name, message: error.message } };
}
