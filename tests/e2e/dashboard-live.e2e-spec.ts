import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { exampleDatasetPath } from '../../src/config/paths';
import { call } from '../support/app';
import { startChild, type Running } from '../support/child-server';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePort } from '../support/free-port';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM) && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
const describeInBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

const READER = 'reader-key-for-the-live-dashboard';
const WRITER = 'writer-key-for-the-live-dashboard';


describeInBrowser('the live dashboard with keys, in Chromium on a non-loopback host name', () => {
  let database: TestDatabase;
  let server: Running;
  let browser: Browser;
  let port: number;
  const start = () =>
    startChild({ DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', PARLEY_API_KEYS: `reader:${READER},writer:${WRITER}`, PARLEY_FEED_TOKEN_TTL_MS: '1500' });
  const post = (summary: string, value: number) =>
    call(server.url, 'POST', '/negotiations/ukraine-2025/events', {
      key: WRITER,
      json: { events: [{ type: 'PositionStated', occurredAt: '2025-04-26T00:00:00Z', data: { party: 'russia', issue: 'crimea', value, summary } }] },
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    port = await freePort();
    server = await start();
    await call(server.url, 'POST', '/negotiations/ukraine-2025/events:import', { key: WRITER, body: readFileSync(exampleDatasetPath(), 'utf8'), contentType: 'application/x-ndjson' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // parley.test resolves to loopback inside Chromium only: a host name that is not "localhost".
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--host-resolver-rules=MAP parley.test 127.0.0.1'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    await server?.exited;
    await database?.drop();
  });

  it('receives every event once, across a token expiry and a server restart', async () => {
    const page = await browser.newPage();
    await page.addInitScript((key) => sessionStorage.setItem('parley-key', key), READER);
    await page.goto(`http://parley.test:${port}/dashboard/?n=ukraine-2025`);
    await page.locator('#live.on').waitFor();
    const ids: string[] = [];
    ids.push((await post('before expiry', 90)).body.events[0].id);
    await page.locator(`#timeline li[data-id="${ids[0]}"]`).waitFor();

    // Past the token's life (1.5 s): the open stream stays; then the server restarts.
    await page.waitForTimeout(2000);
    ids.push((await post('after expiry', 91)).body.events[0].id);
    await page.locator(`#timeline li[data-id="${ids[1]}"]`).waitFor();
    server.child.kill('SIGTERM');
    await server.exited;
    ids.push((await (async () => {
      server = await start();
      return post('while the page was away', 92);
    })()).body.events[0].id);
    await page.locator('#live.on').waitFor({ timeout: 30_000 });
    ids.push((await post('after the restart', 93)).body.events[0].id);
    for (const id of ids) await page.locator(`#timeline li[data-id="${id}"]`).waitFor();
    const shown = await page.$$eval('#timeline li', (items) => items.map((li) => (li as HTMLElement).dataset.id));
    for (const id of ids) expect(shown.filter((s) => s === id)).toHaveLength(1);
  });
});
