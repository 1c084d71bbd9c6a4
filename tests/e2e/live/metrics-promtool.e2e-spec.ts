import { execFile } from 'node:child_process';
import { EventStore } from '../../../src/event-store/event-store';
import { call, startTestApp, type TestApp } from '../../support/app';
import { setup, stated } from '../../support/builders';
import { eventually } from '../../support/receiver';

/** Runs Debian's promtool (package prometheus) on a scrape; CI installs it, so a missing one fails. */
function promtoolCheck(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile('promtool', ['check', 'metrics'], (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error('promtool is not installed (apt-get install prometheus)'));
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
    child.stdin!.end(text);
  });
}

describe('GET /metrics with a real Prometheus client', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('passes promtool check metrics', async () => {
    await call(app.url, 'POST', '/negotiations/scraped/events', { json: { events: [...setup(), stated('us', 'crimea', 10, '2025-04-20')] } });
    const metrics = (await call(app.url, 'GET', '/metrics')).body as string;
    const checked = await promtoolCheck(metrics);
    expect(checked.output).toBe('');
    expect(checked.code).toBe(0);
    for (const name of ['parley_http_requests_total', 'parley_http_request_duration_seconds', 'parley_outbox_pending', 'parley_outbox_oldest_pending_seconds', 'parley_delivery_latency_seconds', 'parley_sse_dropped_total', 'parley_gap_issue', 'parley_sse_clients']) {
      expect(metrics).toContain(`# TYPE ${name} `);
    }
  });

  it('counts HTTP requests by route pattern and status, never by raw URL', async () => {
    await call(app.url, 'POST', '/negotiations/scraped/events', { json: { events: [stated('ukraine', 'crimea', 60, '2025-04-20')] } });
    await call(app.url, 'GET', '/negotiations/scraped/stances?at=2025-04-21');
    await call(app.url, 'GET', '/negotiations/nowhere/stances');
    await call(app.url, 'GET', '/no/such/route');
    const metrics = (await call(app.url, 'GET', '/metrics')).body as string;
    expect(metrics).toMatch(/^parley_http_requests_total\{method="GET",route="\/negotiations\/:nid\/stances",status="200"\} [1-9]/m);
    expect(metrics).toMatch(/^parley_http_requests_total\{method="GET",route="\/negotiations\/:nid\/stances",status="404"\} [1-9]/m);
    expect(metrics).toMatch(/^parley_http_requests_total\{method="GET",route="unmatched",status="404"\} [1-9]/m);
    expect(metrics).not.toContain('route="/negotiations/scraped');
    expect(metrics).toMatch(/^parley_gap_issue\{negotiation="scraped",a="ukraine",b="us",issue="crimea"\} 50$/m);
  });

  it('counts appends from the log, whoever wrote them, with every type starting at zero', async () => {
    const scrape = async () => (await call(app.url, 'GET', '/metrics')).body as string;
    const count = (text: string, type: string) => Number(new RegExp(`^parley_events_appended_total\\{type="${type}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
    const first = await scrape();
    expect(count(first, 'EventRetracted')).toBe(0);
    // Written past the HTTP layer, as the CLI or another instance would.
    const store = app.app.get(EventStore);
    await store.appendToStream('scraped', [{ type: 'PositionStated', occurredAt: new Date('2025-04-21T00:00:00Z'), data: { party: 'us', issue: 'crimea', value: 20 } }]);
    await eventually(async () => count(await scrape(), 'PositionStated') === count(first, 'PositionStated') + 1, 'the projector to count the append');
  });
});
