import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { exampleDatasetPath } from '../../src/config/paths';
import { call, startTestApp, type TestApp } from '../support/app';

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = join(__dirname, '../../test-output');
// CI installs Debian's chromium (.ci/run); elsewhere these tests need it too, or say why they did not run.
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
const describeInBrowser = haveBrowser ? describe : describe.skip;
if (!haveBrowser) process.stderr.write(`dashboard tests not run: no ${CHROMIUM} (apt-get install chromium)\n`);

async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const usCrimea = (page: Page) => page.locator('.cell[data-party="us"][data-issue="crimea"]');

/** Nothing wider than the viewport, and no two cards on top of each other. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    if (document.documentElement.scrollWidth > innerWidth) problems.push(`page is ${document.documentElement.scrollWidth}px wide in ${innerWidth}px`);
    const boxes = [...document.querySelectorAll('.card, .bar, .controls')].map((el) => ({ el, r: el.getBoundingClientRect() }));
    for (const { el, r } of boxes) if (r.right > innerWidth + 0.5) problems.push(`${el.className} is cut at the right`);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!.r, boxes[j]!.r];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
          problems.push(`${boxes[i]!.el.className} overlaps ${boxes[j]!.el.className}`);
        }
      }
    }
    return problems;
  });
}

describeInBrowser('the dashboard in Chromium', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    app = await startTestApp();
    const imported = await call(app.url, 'POST', '/negotiations/ukraine-2025/events:import', {
      body: readFileSync(exampleDatasetPath(), 'utf8'),
      contentType: 'application/x-ndjson',
    });
    expect(imported.status).toBe(201);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('tells the story as the date slider moves from 16 to 24 April 2025, and shares the view in its URL', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.url}/dashboard/?n=ukraine-2025&at=2025-04-16`);
    await page.locator('#at-label', { hasText: '16 Apr 2025' }).waitFor();
    await usCrimea(page).waitFor();
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.includes('As of 16 Apr 2025'));
    expect(await usCrimea(page).getAttribute('data-value')).toBe('');

    await page.locator('#at').focus();
    for (let day = 16; day < 24; day++) await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.includes('As of 24 Apr 2025'));
    await page.waitForFunction(() => document.querySelector('.cell[data-party="us"][data-issue="crimea"]')?.getAttribute('data-value') === '100');
    expect(await usCrimea(page).textContent()).toContain('Russian, recognised de jure');
    expect(await page.locator('.cell[data-party="ukraine"][data-issue="crimea"]').getAttribute('data-value')).toBe('0');
    expect(new URL(page.url()).searchParams.get('at')).toBe('2025-04-24');

    await usCrimea(page).click();
    expect(await page.locator('#cell-detail').textContent()).toContain('Reuters');
    await page.screenshot({ path: join(OUTPUT, 'dashboard-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('shows a new event without a reload, through the live feed', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${app.url}/dashboard/?n=ukraine-2025`);
    await page.locator('#live.on').waitFor();
    const answer = await call(app.url, 'POST', '/negotiations/ukraine-2025/events', {
      json: { events: [{ type: 'PositionStated', occurredAt: '2025-04-26T09:00:00Z', data: { party: 'russia', issue: 'crimea', value: 100, summary: 'Kremlin: Crimea is not negotiable' } }] },
    });
    expect(answer.status).toBe(201);
    const item = page.locator(`#timeline li[data-id="${answer.body.events[0].id}"]`);
    await item.waitFor();
    expect(await item.textContent()).toContain('Kremlin: Crimea is not negotiable');
    await page.waitForFunction(() => document.querySelector('.cell[data-party="russia"][data-issue="crimea"]')?.getAttribute('data-value') === '100');
  });

  it.each([
    [1280, 800],
    [390, 844],
  ])('lays out at %i×%i with nothing overlapping or cut', async (width, height) => {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(`${app.url}/dashboard/?n=ukraine-2025&at=2025-04-24`);
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.includes('As of 24 Apr 2025'));
    await page.locator('#chart canvas').waitFor();
    expect(await layoutProblems(page)).toEqual([]);
    await page.screenshot({ path: join(OUTPUT, `dashboard-${width}x${height}.png`), fullPage: true });
  });
});

describeInBrowser('the dashboard with nothing to show', () => {
  it('says how to load data instead of showing an empty page', async () => {
    const app = await startTestApp();
    const browser = await launch();
    try {
      const page = await browser.newPage();
      await page.goto(`${app.url}/`);
      await page.waitForFunction(() => document.querySelector('#status')?.textContent?.includes('No negotiations yet'));
      expect(await page.locator('#status').textContent()).toContain('npx parley import');
    } finally {
      await browser.close();
      await app.close();
    }
  });
});
