import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';

/**
 * Spans for Parley's own work (an append, a projector batch, an alert evaluation, a delivery, a
 * news poll) over the OpenTelemetry API only: without an SDK (tracing off, the default) every
 * call here is a no-op. src/tracing.ts starts the SDK when the standard OTEL_* variables ask.
 *
 * Work that leaves the request (projection, alert evaluation, webhook delivery happen later, in
 * other loops) keeps the trace by carrying a W3C `traceparent` in what it stores: the event's
 * metadata, the outbox row. So one append's spans share a trace id from the HTTP request to the
 * webhook call.
 */
const tracer = () => trace.getTracer('parley');

export interface SpanOptions {
  attributes?: Attributes;
  /** The parent: a stored traceparent's context; default the active context. */
  parent?: Context;
  kind?: SpanKind;
}

/** Runs `work` in a span (active for everything it awaits), ended when it settles; errors are recorded. */
export async function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const parent = options.parent ?? context.active();
  return tracer().startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, ...(options.attributes ? { attributes: options.attributes } : {}) }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The active context as a W3C traceparent, to store beside work done later; undefined when tracing is off. */
export function currentTraceparent(): string | undefined {
  return traceHeaders().traceparent;
}

/** The context a stored traceparent names (the root context without one). */
export function contextOf(traceparent: string | null | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/** Headers that carry the active context to another service (`traceparent`, `tracestate`). */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The ids a log line carries while a span is active (pino's mixin). */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  return traceFlags === 0 && traceId === '00000000000000000000000000000000' ? {} : { trace_id: traceId, span_id: spanId };
}

export { SpanKind, context as traceContext, propagation, trace };
