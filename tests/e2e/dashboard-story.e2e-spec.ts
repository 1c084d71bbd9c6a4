import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { exampleDatasetPath } from '../../src/config/paths';
import { call, startTestApp, type TestApp } from '../support/app';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM) && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
const describeInBrowser = existsSync(CHROMIUM) ? describe : describe.skip;
const OUTPUT = join(__dirname, '../../test-output');

describeInBrowser('the dashboard tells the April 2025 story', () => {
  let app: TestApp;
  let browser: Browser;
  const open = async (width: number, height: number, query = ''): Promise<Page> => {
    // axe-core's Playwright runner needs a page of an explicit context.
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    await page.goto(`${app.url}/dashboard/?n=ukraine-2025${query}`);
    await page.locator('#chart canvas').waitFor();
    await page.waitForFunction(() => document.querySelector('#gap-summary')?.textContent !== '');
    return page;
  };

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    app = await startTestApp();
    await call(app.url, 'POST', '/negotiations/ukraine-2025/events:import', { body: readFileSync(exampleDatasetPath(), 'utf8'), contentType: 'application/x-ndjson' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('opens on the story’s last day, not today, and steps from event to event', async () => {
    const page = await open(1440, 900);
    expect(await page.locator('#at-label').textContent()).toBe('25 Apr 2025');
    await page.click('#prev-event');
    await page.waitForFunction(() => document.querySelector('#at-label')?.textContent === '23 Apr 2025');
    await page.keyboard.press('[');
    await page.waitForFunction(() => document.querySelector('#at-label')?.textContent === '21 Apr 2025');
    await page.keyboard.press(']');
    await page.waitForFunction(() => document.querySelector('#at-label')?.textContent === '23 Apr 2025');
    expect(new URL(page.url()).searchParams.get('at')).toBe('2025-04-23');
  });

  it('asks the server once per refresh: every panel comes from one GET …/dashboard, read at one position', async () => {
    const page = await open(1440, 900);
    const asked: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/negotiations/')) asked.push(`${request.method()} ${url.pathname}`);
    });
    await page.click('#prev-event');
    await page.waitForFunction(() => /As of 23 Apr 2025/.test(document.querySelector('#status')?.textContent ?? ''));
    expect(asked).toEqual(['GET /negotiations/ukraine-2025/dashboard']);
    // The one answer is each route's own answer, at the same position.
    const view = await call(app.url, 'GET', '/negotiations/ukraine-2025/dashboard?at=2025-04-23&between=us,ukraine&from=2025-04-10&to=2025-04-30');
    const gaps = await call(app.url, 'GET', '/negotiations/ukraine-2025/gaps?at=2025-04-23&between=us,ukraine');
    const stances = await call(app.url, 'GET', '/negotiations/ukraine-2025/stances?at=2025-04-23');
    expect(view.body.gaps).toEqual(gaps.body.pairs[0]);
    expect(view.body.stances).toEqual(stances.body.stances);
    expect(view.body.series).toHaveLength(21);
    expect(view.body.concessions.map((c: { party: string }) => c.party)).toEqual(['us', 'ukraine']);
    expect(view.body.position).toBeGreaterThan(0);
    expect(view.headers.get('parley-served-by')).toBe('primary');
    const bad = await call(app.url, 'GET', '/negotiations/ukraine-2025/dashboard?between=us');
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['between']);
  });

  it('explains its numbers: a legend from the issues’ labels, red lines in the cells, the gap in words, outcomes', async () => {
    const page = await open(1440, 900);
    const legend = await page.locator('#legend').textContent();
    expect(legend).toContain('Crimea');
    expect(legend).toContain('0 = Ukrainian; Russian claims not acknowledged');
    expect(legend).toContain('100 = Russian, recognised de jure');
    // Russia has no stance on foreign forces, but its red line shows in the cell.
    const band = page.locator('.cell[data-party="russia"][data-issue="foreign-forces"] .redline');
    expect(await band.getAttribute('title')).toContain('acceptable 100–100');
    expect(await page.locator('#gap-summary').textContent()).toMatch(/Overall gap 74\.4 of 100 .* over 5 of 8 issues/);
    // Outcomes, zones and concessions each come from requests of their own, after the gap.
    await page.waitForFunction(() => ['#outcomes', '#zones', '#concessions'].every((id) => (document.querySelector(id)?.textContent ?? '') !== ''));
    expect(await page.locator('#outcomes li').count()).toBeGreaterThan(3);
    // A single allowed point, said as such, and who declared nothing: no "agreement possible between 100 and 100".
    expect(await page.locator('#zones').textContent()).toContain('the declared red lines allow only 100 — no limit declared by');
    // From the first day both had a position (23 April): the US did not move, Ukraine neither.
    expect(await page.locator('#concessions').textContent()).toMatch(/^Since 23 Apr 2025: United States moved toward Ukraine by 0 on average; Ukraine moved toward United States by 0 on average/);
    // A cell's history, drawn and listed, on selection.
    await page.click('.cell[data-party="us"][data-issue="crimea"]');
    await page.locator('#cell-detail svg.sparkline path').waitFor({ state: 'attached' });
    expect(await page.locator('#cell-detail .history li').allTextContents()).toEqual([expect.stringContaining('17 Apr 2025: 100'), expect.stringContaining('25 Apr 2025: 100')]);
    // Names, not slugs, in the event list; values rounded.
    expect(await page.locator('#timeline').textContent()).toContain('United States');
    await page.screenshot({ path: join(OUTPUT, 'dashboard-story-1440x900.png'), fullPage: true });
  });

  it('marks ranges, bases, recent changes and the selected cell, and keeps the selection in the URL', async () => {
    const page = await open(1440, 900, '&cell=us/crimea');
    await page.locator('#cell-detail .history li').first().waitFor();
    const us = page.locator('.cell[data-party="us"][data-issue="crimea"]');
    expect(await us.getAttribute('aria-pressed')).toBe('true');
    expect(await us.locator('.value').textContent()).toBe('100 (50–100)');
    // Trump's 100 on 25 April restates the Paris text's 100: no change, no "new since" mark.
    expect(await us.locator('.changed-mark').count()).toBe(0);
    // Ukraine's Crimea stance came with the London text (23 April): new within the week.
    expect(await page.locator('.cell[data-party="ukraine"][data-issue="crimea"] .changed-mark').textContent()).toBe('new since 18 Apr 2025');
    expect(await page.locator('.cell[data-party="us"][data-issue="ceasefire-sequencing"] .label').textContent()).toContain('· inferred');
    await page.click('.cell[data-party="ukraine"][data-issue="crimea"]');
    expect(new URL(page.url()).searchParams.get('cell')).toBe('ukraine/crimea');
    expect(await us.getAttribute('aria-pressed')).toBe('false');
    // The overall gap's uncertainty band is two series of the chart.
    expect(await page.locator('#chart .u-legend').textContent()).toContain('overall, lowest');
  });

  it('names the events behind a marker on hover, and keeps one small chart per issue', async () => {
    const page = await open(1440, 900);
    expect(await page.locator('#multiples figure').count()).toBe(8);
    expect(await page.locator('#multiples figcaption').first().textContent()).toMatch(/^Crimea: 100$/);
    await page.locator('#chart').scrollIntoViewIfNeeded();
    const box = (await page.locator('#chart .u-over').boundingBox())!;
    let tip = '';
    for (let x = box.x; x < box.x + box.width && !tip.includes('ProposalTabled'); x += 2) {
      await page.mouse.move(x, box.y + box.height / 2);
      tip = (await page.locator('#marker-tip').isVisible()) ? ((await page.locator('#marker-tip').textContent()) ?? '') : '';
    }
    expect(tip).toMatch(/^17 Apr 2025: .*ProposalTabled — US peace framework \(Paris\)/);
  });

  it('shows the news inbox with matched terms marked, and codes an item into a position that cites it', async () => {
    const pushed = await call(app.url, 'POST', '/negotiations/ukraine-2025/news', {
      json: { items: [{ guid: 'wire-1', url: 'https://wire.example/1', title: 'Kremlin says Crimea is not negotiable', publisher: 'Wire', publishedAt: '2025-04-26T08:00:00Z' }] },
    });
    const item = pushed.body.items[0].id;
    const page = await open(1440, 900);
    const row = page.locator(`#inbox li[data-item="${item}"]`);
    await row.waitFor();
    // Russia's alias "Kremlin" and the issue title "Crimea" are default watch terms.
    expect(await row.locator('mark').allTextContents()).toEqual(['Kremlin', 'Crimea']);
    expect(await page.locator('#code-form').isVisible()).toBe(false);
    await row.locator('button.code').click();
    expect(await page.locator('#code-form').isVisible()).toBe(true);
    await page.selectOption('#code-party', 'russia');
    await page.selectOption('#code-issue', 'crimea');
    await page.fill('#code-value', '100');
    await page.click('#code-form button[type=submit]');
    await row.waitFor({ state: 'detached' });
    const coded = (await call(app.url, 'GET', '/negotiations/ukraine-2025/inbox?status=coded')).body.items;
    expect(coded).toEqual([expect.objectContaining({ id: item, status: 'coded', events: [expect.any(String)] })]);
    const events = (await call(app.url, 'GET', `/negotiations/ukraine-2025/events?before=${Number.MAX_SAFE_INTEGER}&limit=1`)).body.events;
    expect(events[0]).toMatchObject({ type: 'PositionStated', data: { party: 'russia', issue: 'crimea', value: 100 }, source: { itemId: item, url: 'https://wire.example/1', publisher: 'Wire' } });
  });

  it.each([
    [1440, 900],
    [390, 844],
  ])('has no serious or critical accessibility violations (axe-core) at %i×%i', async (width, height) => {
    const page = await open(width, height);
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.length} × ${v.help}`);
    expect(serious).toEqual([]);
    await page.screenshot({ path: join(OUTPUT, `dashboard-story-${width}x${height}.png`), fullPage: true });
  });

  it('is usable on 30,000 events without loading the log, pages older events, and shows corrections against what they changed', async () => {
    const lines = readFileSync(exampleDatasetPath(), 'utf8').trim().split('\n');
    const parties = ['us', 'ukraine', 'europe', 'russia'];
    const more = Array.from({ length: 30_000 }, (_, i) =>
      JSON.stringify({ type: 'PositionStated', occurredAt: new Date(Date.UTC(2025, 3, 26) + Math.floor(i / 100) * 86_400_000).toISOString(), data: { party: parties[i % 4], issue: 'crimea', value: (i * 37) % 101 } }),
    );
    const imported = await call(app.url, 'POST', '/negotiations/long/events:import', { body: [...lines, ...more].join('\n'), contentType: 'application/x-ndjson' });
    expect(imported.status).toBe(201);
    const last = imported.body.events.at(-1).id;
    const fix = await call(app.url, 'POST', '/negotiations/long/events', {
      json: { events: [{ type: 'EventCorrected', occurredAt: '2026-01-01T00:00:00Z', data: { target: last, data: { party: 'russia', issue: 'crimea', value: 55 } } }] },
    });
    expect(fix.status).toBe(201);

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const pages: string[] = [];
    page.on('request', (r) => {
      if (/\/negotiations\/long\/events\?/.test(r.url())) pages.push(r.url());
    });
    await page.goto(`${app.url}/dashboard/?n=long`);
    await page.waitForFunction(() => document.querySelector('#gap-summary')?.textContent && document.querySelectorAll('.cell').length > 0, null, { timeout: 60_000 });
    expect(pages).toHaveLength(1);
    expect(await page.locator('#timeline li').count()).toBe(200);
    expect(await page.locator('#timeline li').first().textContent()).toMatch(/Corrects PositionStated of .*: Russia on Crimea: \d+ → Russia on Crimea: 55/);
    await page.click('#older');
    await page.waitForFunction(() => document.querySelectorAll('#timeline li').length === 400);
    expect(pages).toHaveLength(2);
    await page.screenshot({ path: join(OUTPUT, 'dashboard-30000-events.png') });
  });
});
