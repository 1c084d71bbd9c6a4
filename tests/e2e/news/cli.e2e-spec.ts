import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { call, startTestApp, type TestApp } from '../../support/app';
import { setup } from '../../support/builders';
import { jsonFeed, rss } from '../../support/feed-server';

const run = promisify(execFile);
const CLI = join(__dirname, '../../../dist/src/cli.js');

describe('parley news import', () => {
  let app: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'parley-news-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const cli = (...args: string[]) => run('node', [CLI, ...args], { env: { ...process.env, DATABASE_URL: app.database.url, LOG_LEVEL: 'silent' } });
  const inbox = async () => (await call(app.url, 'GET', '/negotiations/cli-news/inbox')).body.items as { title: string }[];

  beforeAll(async () => {
    app = await startTestApp();
    await call(app.url, 'POST', '/negotiations/cli-news/events', { json: { events: setup() } });
  });
  afterAll(() => app.close());

  it('stores a saved RSS feed and a JSON Feed once each, however often imported', async () => {
    const saved = file('wire.xml', rss([{ guid: 'w1', title: 'Crimea talks in London', date: 'Wed, 23 Apr 2025 12:00:00 GMT' }]));
    const first = await cli('news', 'import', saved, '-n', 'cli-news');
    expect(first.stdout).toContain('1 item(s), 1 new, 1 matching');
    expect((await cli('news', 'import', saved, '-n', 'cli-news')).stdout).toContain('1 item(s), 0 new');
    const pretty = file('feed.json', JSON.stringify(JSON.parse(jsonFeed([{ id: 'j9', title: 'RUSSIA answers', date: '2025-04-24T00:00:00Z' }])), null, 2));
    expect((await cli('news', 'import', pretty, '-n', 'cli-news')).stdout).toContain('1 item(s), 1 new');
    expect((await inbox()).map((i) => i.title).sort()).toEqual(['Crimea talks in London', 'RUSSIA answers']);
  });

  it('refuses an NDJSON file with a bad line, naming the line, and stores nothing', async () => {
    const ndjson = file('items.ndjson', `${JSON.stringify({ guid: 'n1', title: 'US envoy in Moscow' })}\n${JSON.stringify({ guid: 'n2' })}\n`);
    const failed = await cli('news', 'import', ndjson, '-n', 'cli-news').then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('line 2: title:');
    expect((await inbox()).map((i) => i.title)).not.toContain('US envoy in Moscow');
  });
});
