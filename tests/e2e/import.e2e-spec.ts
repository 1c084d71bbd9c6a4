import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exampleDatasetPath } from '../../src/config/paths';
import { call, startTestApp, type TestApp } from '../support/app';
import { setup, stated } from '../support/builders';

const run = promisify(execFile);
const CLI = join(__dirname, '../../dist/src/cli.js');
const example = readFileSync(exampleDatasetPath(), 'utf8');

/** The example with line 7 broken (a value that is not a number). */
function brokenAtLine7(): string {
  const lines = example.trimEnd().split('\n');
  lines[6] = lines[6]!.replace('"title"', '"tittle"');
  return `${lines.join('\n')}\n`;
}

describe('importing NDJSON', () => {
  let app: TestApp;
  const importFile = (nid: string, body: string, query = '') =>
    call(app.url, 'POST', `/negotiations/${nid}/events:import${query}`, { body, contentType: 'application/x-ndjson' });
  const versionOf = async (nid: string) => (await call(app.url, 'GET', `/negotiations/${nid}/events?limit=1000`)).body.events?.length ?? 0;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  describe('POST /negotiations/{nid}/events:import', () => {
    it('appends a file once; importing it again appends nothing', async () => {
      const first = await importFile('example-http', example);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ appended: 20, skipped: 0, streamVersion: 20 });
      const again = await importFile('example-http', example);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ appended: 0, skipped: 20, streamVersion: 20 });
      expect(again.body.events).toEqual(first.body.events);
      expect(await versionOf('example-http')).toBe(20);
    });

    it('names line 7 of a file whose line 7 is broken, and writes nothing', async () => {
      const answer = await importFile('broken', brokenAtLine7());
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('invalid_request');
      expect(answer.body.issues.map((i: { line: number }) => i.line)).toEqual([7, 7]);
      expect(await versionOf('broken')).toBe(0);
    });

    it('names the line of a rule violation, and writes nothing', async () => {
      const lines = [...setup(), stated('us', 'crimea', 10, '2025-04-17'), stated('eu', 'crimea', 10, '2025-04-17')];
      const answer = await importFile('rules', lines.map((l) => JSON.stringify(l)).join('\n'));
      expect(answer.status).toBe(422);
      expect(answer.body.issues).toEqual([expect.objectContaining({ line: 8, path: ['data', 'party'] })]);
      expect(await versionOf('rules')).toBe(0);
    });

    it('appends only the missing lines of a file partly imported before', async () => {
      const lines = example.trimEnd().split('\n');
      await importFile('partial', `${lines.slice(0, 12).join('\n')}\n`);
      const rest = await importFile('partial', example);
      expect(rest.body).toMatchObject({ appended: 8, skipped: 12, streamVersion: 20 });
    });

    it('refuses JSON sent as the import body (415)', async () => {
      const answer = await call(app.url, 'POST', '/negotiations/x/events:import', { body: example, contentType: 'application/json' });
      expect(answer.status).toBe(415);
    });
  });

  describe('parley import (CLI)', () => {
    const env = () => ({ ...process.env, DATABASE_URL: app.database.url, LOG_LEVEL: 'silent' });
    const dir = mkdtempSync(join(tmpdir(), 'parley-import-'));

    it('imports the example once, then reports it already present', async () => {
      const first = await run('node', [CLI, 'import', exampleDatasetPath(), '--negotiation', 'example-cli'], { env: env() });
      expect(first.stdout).toBe('example-cli: 20 appended, 0 already present, 0 rejected (version 20)\n');
      const again = await run('node', [CLI, 'import', exampleDatasetPath(), '--negotiation', 'example-cli'], { env: env() });
      expect(again.stdout).toBe('example-cli: 0 appended, 20 already present, 0 rejected (version 20)\n');
      expect(await versionOf('example-cli')).toBe(20);
    });

    it('exits non-zero naming line 7 of a broken file, and writes nothing', async () => {
      const file = join(dir, 'broken.ndjson');
      writeFileSync(file, brokenAtLine7());
      const failure = await run('node', [CLI, 'import', file, '--negotiation', 'broken-cli'], { env: env() }).then(
        () => undefined,
        (error: { code: number; stderr: string; stdout: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toContain(`${file}: line 7: data.title:`);
      expect(failure?.stdout).toContain('1 rejected (nothing written)');
      expect(await versionOf('broken-cli')).toBe(0);
    });
  });
});
