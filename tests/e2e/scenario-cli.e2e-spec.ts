import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { call, startTestApp, type TestApp } from '../support/app';

const run = promisify(execFile);
const CLI = join(__dirname, '../../dist/src/cli.js');
const EXAMPLE = join(__dirname, '../../examples/ukraine-2025/events.ndjson');
const SCENARIO_FILE = join(__dirname, '../../examples/ukraine-2025/scenario-us-defers-territory.ndjson');

/**
 * The example's hypothetical scenario, run the way examples/ukraine-2025/README.md shows it:
 * the CLI opens a branch, imports the file and diffs it against the record, which stays as it was.
 */
describe('scenario branches from the CLI, on the example', () => {
  let app: TestApp;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => run('node', [CLI, ...args], { env });

  beforeAll(async () => {
    app = await startTestApp();
    env = { ...process.env, DATABASE_URL: app.database.url, LOG_LEVEL: 'silent' };
    // The example, loaded as its README says.
    expect((await cli('import', EXAMPLE, '--negotiation', 'ukraine-2025')).stdout).toContain('20 appended');
  });
  afterAll(() => app.close());

  it('opens, imports and diffs the hypothetical scenario; the record is untouched', async () => {
    const recordBefore = await (await fetch(`${app.url}/negotiations/ukraine-2025/stances?at=2025-04-30&knownAt=2099-01-01`)).text();
    expect((await cli('scenario', 'open', 'us-defers', '-n', 'ukraine-2025', '--description', 'Hypothetical: the US defers the territorial question', '--as', 'ann')).stdout).toContain('opened us-defers (open)');
    expect((await cli('scenario', 'import', 'us-defers', SCENARIO_FILE, '-n', 'ukraine-2025')).stdout).toContain('2 appended');
    // The table names the branch and marks hypothetical values; the same answer as JSON is the route's.
    const table = (await cli('scenario', 'diff', 'us-defers', '-n', 'ukraine-2025', '--at', '2025-04-30')).stdout;
    expect(table).toContain('scenario us-defers');
    expect(table).toMatch(/ceasefire-sequencing.*100.*0 \*.*-100/);
    expect(table).toMatch(/crimea.*100.*50 \*.*-50/);
    const diff = (await call(app.url, 'GET', '/negotiations/ukraine-2025/scenarios/us-defers/diff?at=2025-04-30')).body;
    expect(diff.difference.stances.map((s: { party: string; issue: string; record: number; branch: number; hypothetical: boolean }) => [s.party, s.issue, s.record, s.branch, s.hypothetical])).toEqual([
      ['us', 'ceasefire-sequencing', 100, 0, true],
      ['us', 'crimea', 100, 50, true],
    ]);
    const usUkraine = diff.difference.pairs.find((p: { a: string; b: string }) => [p.a, p.b].sort().join() === 'ukraine,us');
    expect(usUkraine.overall.change).toBeLessThan(0);
    expect(await (await fetch(`${app.url}/negotiations/ukraine-2025/stances?at=2025-04-30&knownAt=2099-01-01`)).text()).toBe(recordBefore);
    const listed = (await call(app.url, 'GET', '/negotiations/ukraine-2025/scenarios')).body.scenarios;
    expect(listed).toMatchObject([{ name: 'us-defers', status: 'open', events: 2, openedBy: 'ann' }]);
  });

  it('refuses a bad line with its number and writes nothing; rebases and closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-scenario-'));
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, `${JSON.stringify({ type: 'PositionStated', occurredAt: '2025-04-29T00:00:00Z', data: { party: 'us', issue: 'crimea', value: 40 } })}\n{"type": "PositionStated", "occurredAt": "2025-04-29T00:00:00Z", "data": {"party": "nobody", "issue": "crimea", "value": 40}}\n`);
    const failed = await cli('scenario', 'import', 'us-defers', bad, '-n', 'ukraine-2025').catch((error: { code: number; stderr: string }) => error);
    expect((failed as { code: number }).code).not.toBe(0);
    expect((failed as { stderr: string }).stderr).toMatch(/line 2/);
    expect((failed as { stderr: string }).stderr).toContain('Unknown party "nobody"');
    expect((await call(app.url, 'GET', '/negotiations/ukraine-2025/scenarios/us-defers')).body.events).toBe(2);
    expect((await cli('scenario', 'rebase', 'us-defers', '-n', 'ukraine-2025')).stdout).toContain('rebased us-defers');
    expect((await cli('scenario', 'close', 'us-defers', '-n', 'ukraine-2025')).stdout).toContain('closed us-defers (closed)');
    expect((await call(app.url, 'GET', '/negotiations/ukraine-2025/stances?scenario=us-defers')).status).toBe(404);
  });

  it('says there is nothing to backtest on the example: the April 2025 talks reached no agreement', async () => {
    expect((await cli('backtest', '-n', 'ukraine-2025')).stdout).toContain('no recorded outcomes');
  });
});
