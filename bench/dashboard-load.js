// How long the dashboard takes to become usable on a long negotiation, in Chromium:
// `npm run build && node bench/dashboard-load.js [events]` (default 30,000). Starts Parley on
// a throwaway database of BENCH_DATABASE_URL's server, imports the April 2025 example and then
// `events` more positions over a year, opens the page, and times (1) navigation to the stance
// matrix, the gap summary and the chart all drawn, (2) a date change to the same.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Client } = require('pg');
const { chromium } = require('playwright-core');
const { loadConfig } = require('../dist/src/config/config');
const { createServer } = require('../dist/src/server');

(async () => {
  const N = Number(process.argv[2] ?? 30000);
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query('drop database if exists dashbench');
  await admin.query('create database dashbench');
  const url = base.replace(/\/[^/]*$/, '/dashbench');
  const app = await createServer(loadConfig({ DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'silent', PARLEY_RATE_LIMIT: '0' }));
  await app.listen(0, '127.0.0.1');
  const server = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const example = readFileSync(join(__dirname, '../examples/ukraine-2025/events.ndjson'), 'utf8');
  const parties = ['us', 'ukraine', 'europe', 'russia'];
  const issues = ['crimea', 'occupied-territories', 'nato-membership', 'security-guarantees', 'foreign-forces', 'sanctions-relief', 'war-compensation', 'ceasefire-sequencing'];
  const start = Date.UTC(2025, 3, 26);
  const more = Array.from({ length: N }, (_, i) =>
    JSON.stringify({ type: 'PositionStated', occurredAt: new Date(start + Math.floor((i / N) * 365) * 86_400_000).toISOString(), data: { party: parties[i % 4], issue: issues[(i * 3) % 8], value: (i * 37) % 101 } }),
  );
  const body = `${example}${more.join('\n')}\n`;
  const imported = await fetch(`${server}/negotiations/ukraine-2025/events:import`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
  if (imported.status !== 201) throw new Error(`import answered ${imported.status}`);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const ready = () =>
    page.waitForFunction(() => document.querySelector('#gap-summary')?.textContent && document.querySelector('#chart canvas') && document.querySelectorAll('.cell').length > 0, null, { timeout: 120_000 });
  const t0 = Date.now();
  await page.goto(`${server}/dashboard/?n=ukraine-2025`);
  await ready();
  const usable = Date.now() - t0;
  // A date change: a step back to the previous event, timed until the page is drawn again.
  await page.evaluate(() => (document.querySelector('#gap-summary').textContent = ''));
  const t1 = Date.now();
  await page.click('#prev-event');
  await ready();
  const step = Date.now() - t1;
  console.log(JSON.stringify({ events: N + 20, usableMs: usable, dateChangeMs: step }));
  await browser.close();
  await app.close();
  await admin.query('drop database dashbench');
  await admin.end();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
