import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * OpenTelemetry, off by default: on when the standard variables ask for it
 * (OTEL_TRACES_EXPORTER other than `none`, or an OTLP endpoint in OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), unless OTEL_SDK_DISABLED=true. The SDK reads the rest
 * (service name, exporter, protocol, sampler) from the same variables. It must start before
 * http and pg are loaded, so the entries (main.ts, cli.ts) import
 * `./tracing-register` first.
 */
export function tracingWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER;
  if (exporter !== undefined) return exporter.split(',').some((e) => e.trim() !== '' && e.trim() !== 'none');
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

let stop: (() => Promise<void>) | undefined;

/**
 * Starts tracing for this process: the Node SDK with the HTTP and pg instrumentations (each
 * request's span is named by its route in http/observe-requests.ts),
 * exporting as OTEL_* says; `spanProcessors` replaces the exporter (tests collect spans in memory).
 * Returns the shutdown (flushes what is buffered).
 */
export function startTracing(spanProcessors?: SpanProcessor[]): () => Promise<void> {
  if (stop) return stop;
  // Loaded only when tracing is on: a process without it never loads the SDK.
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? 'parley',
    // Queries are traced inside Parley's work (a request, an append, a batch), not the idle loops' polls.
    instrumentations: [new HttpInstrumentation(), new PgInstrumentation({ requireParentSpan: true })],
    ...(spanProcessors ? { spanProcessors } : {}),
  });
  sdk.start();
  stop = async () => {
    stop = undefined;
    await sdk.shutdown();
  };
  return stop;
}
