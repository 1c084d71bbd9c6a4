import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exampleDatasetPath } from '../../src/config/paths';
import { call, startTestApp, type TestApp } from '../support/app';

const ROOT = join(__dirname, '../..');
const FILE = join(ROOT, 'docs/grafana/parley-dashboard.json');

interface Target { expr?: string; url?: string; url_options?: { params: { key: string; value: string }[] } }
interface Panel { id: number; title: string; datasource: { uid: string }; targets: Target[] }
const dashboard = JSON.parse(readFileSync(FILE, 'utf8')) as { time: { from: string }; templating: { list: { name: string; type: string }[] }; panels: Panel[] };

describe('the Grafana dashboard (docs/grafana/parley-dashboard.json)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await call(app.url, 'POST', '/negotiations/ukraine-2025/events:import', { body: readFileSync(exampleDatasetPath(), 'utf8'), contentType: 'application/x-ndjson' });
  });
  afterAll(() => app.close());

  it("type-checks against @grafana/schema's Dashboard", async () => {
    const dir = join(ROOT, 'test-output');
    mkdirSync(dir, { recursive: true });
    const checked = join(dir, 'grafana-dashboard.check.ts');
    writeFileSync(checked, `import type { Dashboard } from '@grafana/schema';\n\nexport const dashboard: Dashboard = ${readFileSync(FILE, 'utf8').trim()};\n`);
    const tsc = join(ROOT, 'node_modules/.bin/tsc');
    const result = await promisify(execFile)(tsc, ['--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', checked]).catch((e: { stdout: string }) => e);
    expect((result as { stdout: string }).stdout).toBe('');
  });

  it('works on import: data sources are variables, panels have ids, the range is relative', () => {
    const variables = dashboard.templating.list.filter((v) => v.type === 'datasource').map((v) => v.name);
    expect(variables.sort()).toEqual(['infinity', 'prometheus']);
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const panel of dashboard.panels) expect(['${prometheus}', '${infinity}']).toContain(panel.datasource.uid);
    expect(dashboard.time.from).toMatch(/^now-/);
  });

  it.each([
    ['the last 30 days at 1h', 30 * 86_400_000, '1h'],
    ['two years at 12h', 730 * 86_400_000, '12h'],
  ])('has an Infinity panel whose request Parley answers, over %s', async (_what, span, interval) => {
    const target = dashboard.panels.flatMap((p) => p.targets).find((t) => t.url)!;
    const to = new Date();
    const from = new Date(to.getTime() - span);
    const values: Record<string, string> = { '$negotiation': 'ukraine-2025', '$between': 'us,ukraine', '${__from:date:iso}': from.toISOString(), '${__to:date:iso}': to.toISOString(), '$__interval': interval };
    const query = new URLSearchParams(target.url_options!.params.map((p) => [p.key, values[p.value] ?? p.value]));
    const answer = await call(app.url, 'GET', `${target.url!.replace('$negotiation', 'ukraine-2025')}?${query}`);
    expect(answer.status).toBe(200);
    expect(answer.body.points.length).toBeGreaterThan(10);
    expect(answer.body.points.at(-1).overall).toBeCloseTo(74.4, 10);
  });

  it('asks Prometheus only for metrics Parley exports', async () => {
    const metrics = (await call(app.url, 'GET', '/metrics')).body as string;
    const exported = new Set([...metrics.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
    const asked = dashboard.panels.flatMap((p) => p.targets).flatMap((t) => [...(t.expr ?? '').matchAll(/parley_[a-z_]+/g)].map((m) => m[0]));
    expect(asked.length).toBeGreaterThan(4);
    for (const name of asked) expect([name, exported.has(name)]).toEqual([name, true]);
  });
});
