import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { exampleDatasetPath } from '../../src/config/paths';
import { call, startEmbeddedTestApp, startTestApp } from '../support/app';

type App = { url: string; close(): Promise<void> };
const example = readFileSync(exampleDatasetPath(), 'utf8');
const RANGE = 'from=2025-04-15&to=2025-04-30&step=P1D';

async function text(url: string, accept?: string): Promise<{ status: number; type: string | null; body: string; headers: Headers }> {
  const response = await fetch(url, accept ? { headers: { accept } } : {});
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text(), headers: response.headers };
}

const panelBehaviour = (start: () => Promise<App>) => () => {
  let app: App;
  beforeAll(async () => {
    app = await start();
    await call(app.url, 'POST', '/negotiations/panel/events:import', { body: example, contentType: 'application/x-ndjson' });
  });
  afterAll(() => app.close());

  it('has, at every point, exactly the stances /stances answers at that point', async () => {
    const panel = (await call(app.url, 'GET', `/negotiations/panel/panel?${RANGE}`)).body;
    expect(panel.rows.length).toBeGreaterThan(0);
    const points = [...new Set(panel.rows.map((r: { at: string }) => r.at))] as string[];
    expect(points.length).toBeGreaterThan(5);
    for (const at of points) {
      const stances = (await call(app.url, 'GET', `/negotiations/panel/stances?at=${at}&knownAt=${panel.knownAt}`)).body.stances;
      const fromPanel = panel.rows.filter((r: { at: string }) => r.at === at).map((r: any) => [r.party, r.issue, r.value, r.salience, r.eventId, r.basis, r.confidence]);
      const fromStances = stances.map((s: any) => [s.party, s.issue, s.value, s.salience, s.eventId, s.basis, s.confidence]);
      expect(fromPanel.sort()).toEqual(fromStances.sort());
    }
    expect(panel.rows[0]).toMatchObject({ scale: { min: 0, max: 100 }, sincePrecision: expect.any(String), recordedAt: expect.any(String) });
  });

  it('is the same panel as CSV, read back by a CSV parser (format=csv or Accept: text/csv)', async () => {
    const json = (await call(app.url, 'GET', `/negotiations/panel/panel?${RANGE}`)).body;
    const csv = await text(`${app.url}/negotiations/panel/panel?${RANGE}&knownAt=${json.knownAt}`, 'text/csv');
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    const records = parse(csv.body, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(json.rows.length);
    expect(Object.keys(records[0]!)).toEqual(expect.arrayContaining(['at', 'party', 'issue', 'value', 'salience', 'uncertaintyLow', 'sourcePublishedAt', 'scaleMin']));
    records.forEach((r, i) => {
      const row = json.rows[i];
      expect([r.at, r.party, r.issue, Number(r.value), r.salience === '' ? null : Number(r.salience), r.eventId]).toEqual([row.at, row.party, row.issue, row.value, row.salience, row.eventId]);
    });
    expect((await text(`${app.url}/negotiations/panel/panel?${RANGE}&format=csv`)).body.split('\n')[0]).toBe(csv.body.split('\n')[0]);
  });

  it('gives the gap series and the events as CSV too', async () => {
    const series = (await call(app.url, 'GET', `/negotiations/panel/gaps/series?between=us,ukraine&${RANGE}`)).body;
    const csv = parse((await text(`${app.url}/negotiations/panel/gaps/series?between=us,ukraine&${RANGE}&format=csv&knownAt=${series.knownAt}`)).body, { columns: true }) as Record<string, string>[];
    const overall = csv.filter((r) => r.scope === 'overall').map((r) => (r.gap === '' || r.gap === undefined ? null : Number(r.gap)));
    expect(overall).toEqual(series.points.map((p: { overall: number | null }) => p.overall));
    // Every row names its pair.
    expect([...new Set(csv.map((r) => `${r.a}-${r.b}`))]).toEqual(['us-ukraine']);
    const events = (await call(app.url, 'GET', '/negotiations/panel/events?limit=5')).body;
    const page = await text(`${app.url}/negotiations/panel/events?limit=5&format=csv`);
    const rows = parse(page.body, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.id, r.type, JSON.parse(r.data!)])).toEqual(events.events.map((e: any) => [e.id, e.type, e.data]));
    expect(page.headers.get('parley-next')).toBe(String(events.next));
  });

  it('refuses an unknown format or an unfit range, naming the field', async () => {
    const format = await call(app.url, 'GET', `/negotiations/panel/panel?${RANGE}&format=xml`);
    expect(format.status).toBe(400);
    expect(format.body.issues[0].path).toEqual(['format']);
    const backwards = await call(app.url, 'GET', '/negotiations/panel/panel?from=2025-04-30&to=2025-04-01');
    expect(backwards.body.issues[0].path).toEqual(['to']);
    expect((await call(app.url, 'GET', `/negotiations/nowhere/panel?${RANGE}`)).status).toBe(404);
  });
};

describe('the panel on PostgreSQL', panelBehaviour(() => startTestApp()));
describe('the panel on the embedded database', panelBehaviour(() => startEmbeddedTestApp()));

describe('parley panel', () => {
  it('writes the same CSV as the HTTP panel to a file', async () => {
    const app = await startTestApp();
    try {
      await call(app.url, 'POST', '/negotiations/cli-panel/events:import', { body: example, contentType: 'application/x-ndjson' });
      const knownAt = (await call(app.url, 'GET', '/negotiations/cli-panel/stances')).body.knownAt;
      const file = join(mkdtempSync(join(tmpdir(), 'parley-panel-')), 'panel.csv');
      const cli = join(__dirname, '../../dist/src/cli.js');
      await promisify(execFile)('node', [cli, 'panel', '-n', 'cli-panel', '--from', '2025-04-15', '--to', '2025-04-30', '--known-at', knownAt, '-o', file], {
        env: { ...process.env, DATABASE_URL: app.database.url, LOG_LEVEL: 'silent' },
      });
      const http = await text(`${app.url}/negotiations/cli-panel/panel?${RANGE}&knownAt=${knownAt}&format=csv`);
      expect(readFileSync(file, 'utf8')).toBe(http.body);
      expect(parse(http.body, { columns: true }).length).toBeGreaterThan(10);
      const bad = await promisify(execFile)('node', [cli, 'panel', '-n', 'cli-panel', '--from', 'soon', '--to', '2025-04-30'], { env: { ...process.env, DATABASE_URL: app.database.url } }).catch((e: { code: number; stderr: string }) => e);
      expect((bad as { code: number }).code).toBe(1);
      expect((bad as { stderr: string }).stderr).toContain('from');
    } finally {
      await app.close();
    }
  });
});

describe('parley zones, outcomes and version', () => {
  it('answer what HTTP answers, at a cited version too', async () => {
    const app = await startTestApp();
    try {
      await call(app.url, 'POST', '/negotiations/cli-reads/events:import', { body: example, contentType: 'application/x-ndjson' });
      const cli = join(__dirname, '../../dist/src/cli.js');
      const run = async (...args: string[]) =>
        JSON.parse((await promisify(execFile)('node', [cli, ...args], { env: { ...process.env, DATABASE_URL: app.database.url, LOG_LEVEL: 'silent' } })).stdout);
      const at = 'at=2025-04-30&knownAt=2099-01-01';
      const zones = await run('zones', '-n', 'cli-reads', '--at', '2025-04-30', '--known-at', '2099-01-01', '--json');
      expect(zones.zones).toEqual((await call(app.url, 'GET', `/negotiations/cli-reads/zones?${at}`)).body.zones);
      expect(zones.zones[0]).toMatchObject({ issue: 'foreign-forces', determined: false });
      const outcomes = await run('outcomes', '-n', 'cli-reads', '--model', 'weighted-median', '--version', '17', '--at', '2025-04-30', '--known-at', '2099-01-01', '--json');
      expect(outcomes).toEqual((await call(app.url, 'GET', `/negotiations/cli-reads/outcomes?${at}&model=weighted-median&version=17`)).body);
      expect(await run('version', '-n', 'cli-reads', '17')).toEqual((await call(app.url, 'GET', '/negotiations/cli-reads/versions/17')).body);
    } finally {
      await app.close();
    }
  });
});
