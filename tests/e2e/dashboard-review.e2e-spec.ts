import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { call, startTestApp, type TestApp } from '../support/app';
import { setup, stated } from '../support/builders';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM) && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
const describeInBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

const ALICE = 'alice-key-0001';
const BOB = 'bob-key-00002';
const RITA = 'rita-admin-key';
const NID = 'dash-review';

/**
 * The review loop in the dashboard (contract v4): a coder's coding from the inbox becomes a
 * proposal, the reviewer accepts it from the review box, the matrix moves, and the cell says
 * who coded and who accepted it, and that two coders read its news item.
 */
describeInBrowser('review in the dashboard (Chromium)', () => {
  let app: TestApp;
  let browser: Browser;
  const as = (key: string, method: string, path: string, json?: unknown) => call(app.url, method, path, { key, ...(json === undefined ? {} : { json }) });

  beforeAll(async () => {
    app = await startTestApp({ PARLEY_API_KEYS: `writer:alice:${ALICE},writer:bob:${BOB},admin:rita:${RITA}` });
    expect((await as(RITA, 'POST', `/negotiations/${NID}/events`, { events: [...setup(), stated('russia', 'crimea', 100, '2025-04-01')] })).status).toBe(201);
    expect((await as(RITA, 'PUT', `/negotiations/${NID}/review`, { required: true })).status).toBe(200);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'] });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("codes from the inbox into a proposal, accepts it from the review box, and names coder and reviewer on the cell", async () => {
    const [item] = (await as(ALICE, 'POST', `/negotiations/${NID}/news`, { items: [{ guid: 'x1', title: 'Crimea: US position', publishedAt: '2025-04-20' }] })).body.items;
    // Bob's reading of the same item, over HTTP: the dashboard will show two codings.
    const bobs = { type: 'PositionStated', occurredAt: '2025-04-20T00:00:00Z', data: { party: 'us', issue: 'crimea', value: 55 }, source: { itemId: item.id } };
    expect((await as(BOB, 'POST', `/negotiations/${NID}/events`, { events: [bobs] })).status).toBe(202);

    // Alice codes the item in her dashboard: a proposal, not yet the record.
    const coder = await browser.newPage();
    await coder.addInitScript((key) => sessionStorage.setItem('parley-key', key), ALICE);
    await coder.goto(`${app.url}/dashboard/?n=${NID}`);
    await coder.locator(`#inbox li[data-item="${item.id}"] button.code`).click();
    await coder.selectOption('#code-party', 'us');
    await coder.selectOption('#code-issue', 'crimea');
    await coder.fill('#code-value', '50');
    await coder.locator('#code-form button[type="submit"]').click();
    // (The form closes once it is sent; its status line keeps what happened.)
    await coder.waitForFunction(() => document.getElementById('code-result')?.textContent?.startsWith('Sent for review'));
    expect(await coder.locator('.cell[data-party="us"][data-issue="crimea"]').isDisabled()).toBe(true);

    // Rita reviews: both proposals are listed; she accepts Alice's.
    const reviewer = await browser.newPage();
    await reviewer.addInitScript((key) => sessionStorage.setItem('parley-key', key), RITA);
    await reviewer.goto(`${app.url}/dashboard/?n=${NID}`);
    await reviewer.locator('#review-box summary').click();
    await reviewer.locator('#proposals li.proposal').nth(1).waitFor();
    const alices = reviewer.locator('#proposals li.proposal', { hasText: 'alice: us on crimea → 50' });
    await alices.getByRole('button', { name: /^Accept/ }).click();
    await reviewer.locator('#review-result', { hasText: 'Accepted' }).waitFor();
    await reviewer.locator('#proposals li.proposal', { hasText: 'bob' }).waitFor();
    expect(await reviewer.locator('#proposals li.proposal').count()).toBe(1);
    // The agreement table: one item coded by two, and α for its three measures.
    expect(await reviewer.locator('#agreement caption').textContent()).toMatch(/^1 items coded by two or more \(alice, bob\)/);

    // The matrix shows the accepted value; the cell names who coded and who accepted it.
    const cell = reviewer.locator('.cell[data-party="us"][data-issue="crimea"]');
    await cell.locator('.value', { hasText: '50' }).waitFor();
    await cell.click();
    await reviewer.locator('#cell-detail .provenance').waitFor();
    expect(await reviewer.locator('#cell-detail .provenance').textContent()).toBe('Coded by alice · reviewed by rita · coded by 2: bob (open), alice (accepted)');
  });
});
