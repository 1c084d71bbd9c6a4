import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { currentTraceparent, propagation, trace, traceContext } from '../shared/tracing';

/**
 * The request's span. With the SDK's HTTP instrumentation on (src/tracing.ts) it exists already
 * and is only named here by its route; otherwise (tracing registered without it) one is made
 * here, continuing the caller's `traceparent`. Either way the answer echoes the request's trace
 * as `traceparent`. Without tracing, nothing is made and nothing is sent.
 */
@Injectable()
export class TracingMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const active = trace.getActiveSpan();
    if (active) {
      echo(response);
      response.on('finish', () => active.setAttribute('http.route', routeOf(request)));
      return next();
    }
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = trace.getTracer('parley').startSpan(`${request.method}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'url.path': request.path } }, parent);
    if (!span.isRecording()) {
      span.end();
      return next();
    }
    response.on('finish', () => {
      const route = routeOf(request);
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': response.statusCode });
      span.end();
    });
    traceContext.with(trace.setSpan(parent, span), () => {
      echo(response);
      next();
    });
  }
}

const routeOf = (request: Request) => (request.route as { path?: string } | undefined)?.path ?? 'unmatched';

function echo(response: Response): void {
  const traceparent = currentTraceparent();
  if (traceparent) response.setHeader('traceparent', traceparent);
}
