// Imported first by the entries (main.ts, cli.ts): starts OpenTelemetry before anything it
// instruments is loaded, when the OTEL_* variables ask for it (src/tracing.ts).
import { startTracing, tracingWanted } from './tracing';

if (tracingWanted()) {
  const shutdown = startTracing();
  // Flush buffered spans on the way out (the server's own SIGTERM handling exits after draining).
  process.once('beforeExit', () => void shutdown());
}
