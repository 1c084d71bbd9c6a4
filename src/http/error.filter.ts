import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { isDatabaseUnavailable } from '../database/errors';
import { DomainError } from '../shared/domain-error';
import { answerFor, type Answer } from './error-table';

/**
 * Every error becomes an answer here, and only here. Domain errors keep their names; anything
 * unexpected is a 500 that says nothing about our internals (the log has the details).
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const answer = this.answer(error);
    if (answer.status >= 500) this.logger.error({ err: error }, 'request failed');
    if (response.headersSent) {
      // A stream (an export) failed half-way: cut the connection, so the client sees an
      // error instead of a clean end to a truncated body.
      response.destroy();
      return;
    }
    if (answer.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
    // The request's id (X-Request-Id), so a client can quote it and an operator find the log lines.
    const { id } = host.switchToHttp().getRequest<{ id?: unknown }>();
    response.status(answer.status).json(id === undefined ? answer.body : { ...answer.body, requestId: String(id) });
  }

  private answer(error: unknown): Answer {
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
    const bodyParser = bodyParserAnswer(error);
    if (bodyParser) return bodyParser;
    if (error instanceof HttpException) return httpExceptionAnswer(error);
    return { status: 500, body: { error: 'internal_error', message: 'Something went wrong on our side; it is logged.' } };
  }
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

/** Errors thrown by Express' body parsers before any controller runs. */
function bodyParserAnswer(error: unknown): Answer | undefined {
  const type = (error as { type?: string } | null)?.type;
  if (type === 'entity.too.large') {
    const limit = (error as { limit?: number }).limit;
    return { status: 413, body: { error: 'payload_too_large', message: `The body exceeds the limit of ${limit} bytes` } };
  }
  if (type === 'entity.parse.failed') {
    return {
      status: 400,
      body: { error: 'invalid_request', issues: [{ path: [], message: `Malformed JSON: ${(error as Error).message}` }] },
    };
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return { status: 415, body: { error: 'unsupported_media_type', message: (error as Error).message } };
  }
  return undefined;
}
