import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { call, startTestApp, type TestApp } from '../support/app';
import { outcome, proposal, setup, stated } from '../support/builders';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM) && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
const describeInBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

const NID = 'dash-scenario';

/**
 * Scenarios and backtests in the dashboard (issue 28): the selector shows a branch, its own
 * stances marked hypothetical beside the record's, the record beside it; the backtest box scores
 * the models against a recorded outcome.
 */
describeInBrowser('scenarios and backtests in the dashboard (Chromium)', () => {
  let app: TestApp;
  let browser: Browser;
  const as = (method: string, path: string, json?: unknown) => call(app.url, method, path, json === undefined ? {} : { json });

  beforeAll(async () => {
    app = await startTestApp();
    const record = await as('POST', `/negotiations/${NID}/events`, {
      events: [
        ...setup(),
        ...[
          stated('russia', 'crimea', 100, '2025-04-01'),
          stated('us', 'crimea', 90, '2025-04-01'),
          stated('ukraine', 'crimea', 0, '2025-04-01'),
          proposal('draft', ['us'], [{ issue: 'crimea', value: 80 }], '2025-04-10'),
          outcome('crimea', 60, '2025-04-20', { summary: 'Test outcome' }),
        ].map((e) => ({ ...e, source: { publisher: 'Test wire', publishedAt: e.occurredAt.slice(0, 10) } })),
      ],
    });
    expect(record.status).toBe(201);
    expect((await as('POST', `/negotiations/${NID}/scenarios`, { name: 'us-softens', description: 'Hypothetical: the US softens on Crimea' })).status).toBe(201);
    expect((await as('POST', `/negotiations/${NID}/scenarios/us-softens/events`, { events: [stated('us', 'crimea', 40, '2025-04-12')] })).status).toBe(201);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'] });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows a branch beside the record, its own stances marked, and the record again on leaving it', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/dashboard/?n=${NID}&at=2025-04-15`);
    const cell = page.locator('.cell[data-party="us"][data-issue="crimea"]');
    await cell.locator('.value', { hasText: '80' }).waitFor();
    expect(await page.locator('#scenario-banner').isHidden()).toBe(true);

    await page.selectOption('#scenario', 'us-softens');
    await cell.locator('.value', { hasText: '40 ◇' }).waitFor();
    expect(await cell.getAttribute('class')).toContain('hypothetical');
    expect(await cell.getAttribute('aria-label')).toContain('(hypothetical)');
    expect(await page.locator('#scenario-banner').textContent()).toContain('Scenario "us-softens"');
    // The record's cells are the record's: Russia is unmarked.
    expect(await page.locator('.cell[data-party="russia"][data-issue="crimea"]').getAttribute('class')).not.toContain('hypothetical');
    // The record beside the branch: the US stance 80 → 40, and the compromise outcome moves.
    const diff = page.locator('#scenario-diff');
    await diff.locator('td', { hasText: 'US on crimea ◇' }).waitFor();
    const row = await diff.locator('tr', { hasText: 'US on crimea ◇' }).locator('td').allTextContents();
    expect(row.slice(1)).toEqual(['80', '40', '-40']);
    expect(page.url()).toContain('scenario=us-softens');

    await page.selectOption('#scenario', '');
    await cell.locator('.value', { hasText: '80' }).waitFor();
    expect(await page.locator('#scenario-card').isHidden()).toBe(true);
  });

  it('scores the models in the backtest box', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/dashboard/?n=${NID}`);
    await page.locator('#backtest-box summary').click();
    await page.selectOption('#backtest-by', 'recorded');
    // Everything was recorded after its valid dates: as Parley held it then, nothing was known.
    await page.locator('#backtest-summary', { hasText: 'Mean absolute error' }).waitFor();
    expect(await page.locator('#backtest-summary').textContent()).toContain('compromise –');
    // As published by then (the reports' dates), the predictions score.
    await page.selectOption('#backtest-by', 'public');
    await page.locator('#backtest-summary', { hasText: 'Best:' }).waitFor();
    expect(await page.locator('#backtest caption').textContent()).toBe('compromise: error per issue and date');
    expect(await page.locator('#backtest tr').count()).toBeGreaterThan(1);
  });
});
