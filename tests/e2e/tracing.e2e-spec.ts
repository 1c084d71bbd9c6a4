import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing, tracingWanted } from '../../src/tracing';
import { call, startTestApp, type TestApp } from '../support/app';
import { setup, stated } from '../support/builders';
import { eventually, startReceiver } from '../support/receiver';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER = `00-${TRACE}-00f067aa0ba902b7-01`;

/**
 * OpenTelemetry (issue 29): off unless the OTEL_* variables ask; on, one append's spans share a
 * trace id from the HTTP request (continuing the caller's traceparent) through the append, the
 * projector's alert evaluation and the webhook call, whose request carries the traceparent.
 * Spans are collected in memory with the SDK's own exporter.
 */
describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  let shutdown: () => Promise<void>;
  let app: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    shutdown = startTracing([new SimpleSpanProcessor(exporter)]);
    receiver = await startReceiver();
    app = await startTestApp({ PARLEY_WEBHOOK_ALLOW: '127.0.0.1' });
    expect((await call(app.url, 'POST', '/negotiations/traced/events', { json: { events: [...setup(), stated('us', 'crimea', 90, '2025-04-01'), stated('ukraine', 'crimea', 0, '2025-04-01')] } })).status).toBe(201);
    const rule = await call(app.url, 'POST', '/negotiations/traced/alert-rules', {
      json: { name: 'closer', rule: { kind: 'gap_threshold', a: 'us', b: 'ukraine', issue: 'crimea', threshold: 50, direction: 'down' }, webhook: { url: receiver.url } },
    });
    expect(rule.status).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await shutdown?.();
    // The SDK registers itself globally: leave the worker as it found it.
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('is off unless the standard variables ask', () => {
    expect(tracingWanted({})).toBe(false);
    expect(tracingWanted({ OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingWanted({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });

  it('carries one trace from the request to the webhook call', async () => {
    exporter.reset();
    const response = await fetch(`${app.url}/negotiations/traced/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: CALLER },
      body: JSON.stringify({ events: [stated('us', 'crimea', 30, '2025-04-02')] }),
    });
    expect(response.status).toBe(201);
    // The answer names the request's trace.
    expect(response.headers.get('traceparent')).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
    // The webhook call carries the trace on.
    const delivery = await eventually(async () => receiver.calls[0], 'the webhook delivery');
    expect(String(delivery.headers.traceparent)).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`));
    const spans = await eventually(async () => {
      const all = exporter.getFinishedSpans();
      return all.some((s) => s.name === 'POST webhook') ? all : undefined;
    }, 'the delivery span');
    const inTrace = (name: string | RegExp) => spans.filter((s) => (typeof name === 'string' ? s.name === name : name.test(s.name)) && s.spanContext().traceId === TRACE);
    const [server] = inTrace(/^POST/).filter((s) => s.kind === 1);
    const [append] = inTrace('parley.append');
    const [evaluate] = inTrace('parley.alerts.evaluate');
    const [post] = inTrace('POST webhook');
    expect(server).toBeDefined();
    expect(append).toBeDefined();
    expect(evaluate).toBeDefined();
    expect(post).toBeDefined();
    // A chain: the caller's span → the request → the append; the evaluation continues the append; the delivery the evaluation.
    const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
    expect(parentOf(server!)).toBe('00f067aa0ba902b7');
    expect(spans.find((s) => s.spanContext().spanId === parentOf(append!))?.spanContext().traceId).toBe(TRACE);
    expect(parentOf(evaluate!)).toBe(append!.spanContext().spanId);
    expect(post!.attributes['parley.delivery.kind']).toBe('webhook');
    expect(evaluate!.attributes['parley.firings']).toBe(1);
    // The webhook's traceparent is the delivery span's own.
    expect(String(delivery.headers.traceparent)).toBe(`00-${TRACE}-${post!.spanContext().spanId}-01`);
  });
});
