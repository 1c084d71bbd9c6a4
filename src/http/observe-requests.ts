import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { Metrics } from '../metrics/metrics';
import { currentTraceparent, propagation, trace, traceContext } from '../shared/tracing';
import type { HttpApplication } from './platform';

/**
 * What every request gets, as Fastify hooks (no middleware pass):
 * - its id echoed as X-Request-Id;
 * - counted by route pattern (`/negotiations/:nid/stances`, never the URL itself, so the label
 *   set stays bounded) and status, and timed; a request no route matched is `unmatched`; the feed
 *   is counted but not timed (its requests last as long as the client stays);
 * - its span: with the SDK's HTTP instrumentation on (src/tracing.ts) it exists already and is
 *   only named here by its route; otherwise (tracing registered without it) one is made here,
 *   continuing the caller's `traceparent`. Either way the answer echoes the request's trace as
 *   `traceparent`. Without tracing, nothing is made and nothing is sent.
 * The socket's `finish` is what ends both, so a hijacked reply (the feed, the export) is counted too.
 */
export function observeRequests(app: HttpApplication): void {
  const metrics = app.get(Metrics);
  app.getHttpAdapter().getInstance().addHook('onRequest', (request, reply, done) => {
    const response = reply.raw;
    response.setHeader('X-Request-Id', request.id);
    const started = process.hrtime.bigint();
    const active = trace.getActiveSpan();
    // Routed before this hook runs: the listeners below hold two strings, not the request (a
    // feed client's would be held for as long as it stays).
    const route = routeOf(request);
    const { method } = request;
    response.once('finish', () => {
      const labels = { method, route };
      metrics.httpRequests.inc({ ...labels, status: String(response.statusCode) });
      if (route !== '/feed') metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      active?.setAttribute('http.route', route);
    });
    if (active) {
      echo(response);
      return done();
    }
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = trace.getTracer('parley').startSpan(method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': request.url.split('?')[0] } }, parent);
    if (!span.isRecording()) {
      span.end();
      return done();
    }
    response.once('finish', () => {
      span.updateName(`${method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': response.statusCode });
      span.end();
    });
    traceContext.with(trace.setSpan(parent, span), () => {
      echo(response);
      done();
    });
  });
}

/** The matched route's pattern; Nest answers unknown paths from Fastify's not-found handler. */
const routeOf = (request: FastifyRequest) => (request.is404 ? undefined : request.routeOptions.url) ?? 'unmatched';

function echo(response: ServerResponse): void {
  const traceparent = currentTraceparent();
  if (traceparent) response.setHeader('traceparent', traceparent);
}
