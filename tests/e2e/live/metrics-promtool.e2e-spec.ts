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
