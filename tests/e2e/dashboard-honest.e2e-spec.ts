import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { call, startTestApp, type TestApp } from '../support/app';
import { opened, party, stated } from '../support/builders';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM) && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
const describeInBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

/**
 * A dashboard that never says more than the data (issue 30, item 13), checked in Chromium: a
 * value between two labels says so, a single-point red line is visible, a zone of one point is
 * said as one, an issue weighing 0 is named, the legend holds no placeholder dashes, a
 * restatement is no "new since", and the root page reopens the negotiation chosen last.
 */
describeInBrowser('the dashboard says no more than the data', () => {
  let app: TestApp;
  let browser: Browser;
  const errors: string[] = [];
  const open = async (query: string): Promise<Page> => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    // The stepped chart and the rest run without a script error.
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.url}/dashboard/${query}`);
    await page.locator('#chart canvas').waitFor();
    await page.waitForFunction(() => document.querySelector('#gap-summary')?.textContent !== '');
    return page;
  };

  beforeAll(async () => {
    app = await startTestApp();
    const tariff = { type: 'IssueDefined', occurredAt: '2025-04-01T12:00:00Z', data: { issue: 'tariff', title: 'Tariff', scale: { min: 0, max: 50, labels: { '0': 'no tariff', '50': '50 % tariff' } } } };
    const quota = { type: 'IssueDefined', occurredAt: '2025-04-01T12:00:00Z', data: { issue: 'quota', title: 'Quota' } };
    const events = [
      opened('Trade', '2025-04-01'),
      party('a', {}, '2025-04-01'),
      party('b', {}, '2025-04-01'),
      tariff,
      quota,
      stated('a', 'tariff', 25, '2025-04-02'),
      stated('b', 'tariff', 50, '2025-04-02'),
      // Both say the quota does not matter to them at all: it weighs 0 in the overall gap.
      stated('a', 'quota', 10, '2025-04-02', { salience: 0 }),
      stated('b', 'quota', 90, '2025-04-02', { salience: 0 }),
      { type: 'RedLineDeclared', occurredAt: '2025-04-03T12:00:00Z', data: { party: 'b', issue: 'tariff', acceptable: { min: 50, max: 50 } } },
      // b says 50 again on the 6th: a restatement, not a change.
      stated('b', 'tariff', 50, '2025-04-06'),
    ];
    expect((await call(app.url, 'POST', '/negotiations/trade/events', { json: { events } })).status).toBe(201);
    expect((await call(app.url, 'POST', '/negotiations/other/events', { json: { events: [opened('Other', '2025-04-01'), party('x', {}, '2025-04-01')] } })).status).toBe(201);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('qualifies labels, draws a one-point red line, says a one-point zone and an issue weighing 0, and marks only real changes', async () => {
    const page = await open('?n=trade&a=a&b=b&at=2025-04-10');
    const a = page.locator('.cell[data-party="a"][data-issue="tariff"]');
    expect(await a.locator('.label').textContent()).toBe('between “no tariff” and “50 % tariff”');
    expect(await page.locator('.cell[data-party="b"][data-issue="tariff"] .label').textContent()).toBe('50 % tariff');
    // The [50, 50] line: visible (at least 8 % of the cell), inside the cell.
    const cell = (await page.locator('.cell[data-party="b"][data-issue="tariff"]').boundingBox())!;
    const band = (await page.locator('.cell[data-party="b"][data-issue="tariff"] .redline').boundingBox())!;
    expect(band.width).toBeGreaterThanOrEqual(cell.width * 0.08 - 1);
    expect(band.x + band.width).toBeLessThanOrEqual(cell.x + cell.width + 1);
    expect(await page.locator('#zones').textContent()).toContain('the declared red lines allow only 50 — no limit declared by A; outside it: A 25');
    const summary = (await page.locator('#gap-summary').textContent())!;
    expect(summary).toContain('Quota 80 (weighs 0: left out)');
    expect(summary).toContain('Tariff 50 (weight 0.5)');
    // b restated 50 on the 6th: unchanged since a week before (the 3rd), so not "new".
    expect(await page.locator('.cell[data-party="b"][data-issue="tariff"] .changed-mark').count()).toBe(0);
    expect(await page.locator('.u-legend').textContent()).not.toContain('–');
    expect(await page.locator('.u-legend').textContent()).toContain('day');
    expect(errors).toEqual([]);
  });

  it('shows only what was public then, and dismisses a news item without changing the version', async () => {
    // No event of this negotiation cites a report: each became public when recorded (today), so
    // on 10 April 2025 nothing was public.
    const page = await open('?n=trade&a=a&b=b&at=2025-04-10&published=true');
    await page.waitForFunction(() => /Only what was public then/.test(document.querySelector('#status')?.textContent ?? ''));
    expect(await page.locator('#published').isChecked()).toBe(true);
    expect(await page.locator('.cell[data-party="a"][data-issue="tariff"] .value').textContent()).toBe('–');
    await page.uncheck('#published');
    await page.waitForFunction(() => document.querySelector('.cell[data-party="a"][data-issue="tariff"] .value')?.textContent === '25');

    const version = (await call(app.url, 'GET', '/negotiations/trade')).body.version;
    expect((await call(app.url, 'POST', '/negotiations/trade/news', { json: { items: [{ guid: 'rain', title: 'Tariff on umbrellas as rain returns' }] } })).status).toBe(201);
    await page.reload();
    await page.locator('#inbox .inbox-item').waitFor();
    page.once('dialog', (dialog) => void dialog.accept('weather, not talks'));
    await page.click('#inbox .inbox-item button.dismiss');
    await page.waitForFunction(() => document.querySelector('#inbox .inbox-item') === null);
    const dismissed = (await call(app.url, 'GET', '/negotiations/trade/inbox?status=dismissed')).body.items;
    expect(dismissed.map((i: { title: string; dismissedFor: string }) => [i.title, i.dismissedFor])).toEqual([['Tariff on umbrellas as rain returns', 'weather, not talks']]);
    expect((await call(app.url, 'GET', '/negotiations/trade')).body.version).toBe(version);
    expect(errors).toEqual([]);
  });

  it('reads the record at a cited version, and says so', async () => {
    // Events 1..6: the definitions and a's tariff stance, not yet b's.
    const page = await open('?n=trade&a=a&b=b&at=2025-04-10&version=6');
    await page.waitForFunction(() => /At cited version 6/.test(document.querySelector('#status')?.textContent ?? ''));
    expect(await page.locator('#version').inputValue()).toBe('6');
    expect(await page.locator('.cell[data-party="a"][data-issue="tariff"] .value').textContent()).toBe('25');
    expect(await page.locator('.cell[data-party="b"][data-issue="tariff"] .value').textContent()).toBe('–');
    await page.fill('#version', '');
    await page.dispatchEvent('#version', 'change');
    await page.waitForFunction(() => document.querySelector('.cell[data-party="b"][data-issue="tariff"] .value')?.textContent === '50');
    expect(errors).toEqual([]);
  });

  it('opens the root page on the negotiation chosen last', async () => {
    const page = await open('?n=trade');
    await page.selectOption('#negotiation', 'other');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('n') === 'other');
    await page.goto(`${app.url}/`);
    await page.waitForFunction(() => (document.querySelector('#negotiation') as HTMLSelectElement | null)?.value === 'other');
    await page.waitForFunction(() => /^Other:/.test(document.querySelector('#status')?.textContent ?? ''));
  });
});
