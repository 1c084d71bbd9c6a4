import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;
const ids = new WeakMap<IncomingMessage, string>();

/**
 * A request's id: a caller's X-Request-Id (a proxy's, a client's) when it looks like one, else a
 * new UUID. One per request, however many ask (Fastify's request, the access log's line): it is
 * in every log line of the request, in every error body (requestId) and echoed as X-Request-Id.
 */
export function requestIdOf(request: IncomingMessage): string {
  const known = ids.get(request);
  if (known !== undefined) return known;
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  ids.set(request, id);
  return id;
}
