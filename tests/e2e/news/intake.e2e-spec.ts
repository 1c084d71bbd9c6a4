import { sql } from 'kysely';
import { call, startEmbeddedTestApp, startTestApp, type TestApp } from '../../support/app';
import { setup } from '../../support/builders';
import { atom, jsonFeed, rss, startFeedServer, withEtag } from '../../support/feed-server';
import { eventually } from '../../support/receiver';

const ADMIN = 'admin-key-for-news-tests-0001';
const WRITER = 'writer-key-for-news-tests-001';
const ENV = {
  PARLEY_FEED_ALLOW: '127.0.0.1',
  PARLEY_NEWS_TICK_MS: '50',
  PARLEY_NEWS_MIN_INTERVAL_MS: '1000',
  // Long enough for the in-process feed server to build and start sending a 20 MB body on a loaded machine.
  PARLEY_NEWS_TIMEOUT_MS: '1500',
  PARLEY_API_KEYS: `admin:${ADMIN},writer:${WRITER}`,
};

describe('news intake from feeds', () => {
  let app: TestApp;
  let second: TestApp;
  let feeds: Awaited<ReturnType<typeof startFeedServer>>;
  const admin = (method: 'GET' | 'POST' | 'DELETE', path: string, json?: unknown) => call(app.url, method, path, { key: ADMIN, ...(json ? { json } : {}) });
  const source = async (id: string) => (await admin('GET', `/sources/${id}`)).body;
  const itemEvents = async () =>
    Number((await sql<{ n: string }>`select count(*) as n from events where type = 'NewsItemReceived'`.execute(app.database.connection.db)).rows[0]!.n);

  beforeAll(async () => {
    feeds = await startFeedServer();
    app = await startTestApp(ENV);
    // A second instance on the same database: two pollers.
    second = await startTestApp(ENV, app.database);
    await call(app.url, 'POST', '/negotiations/talks/events', { key: WRITER, json: { events: setup() } });
  });
  afterAll(async () => {
    await second.close();
    await app.close();
    await feeds.close();
  });

  it('polls RSS with conditional GET, stores each item once across polls and two pollers, and keeps edits as versions', async () => {
    let items = [
      { guid: 'a1', title: 'Crimea will stay with Russia, says envoy', date: 'Fri, 25 Apr 2025 09:00:00 GMT' },
      { guid: 'a2', title: 'Weather in Paris', date: 'Fri, 25 Apr 2025 10:00:00 GMT' },
    ];
    feeds.routes.set('/rss', withEtag(() => rss(items)));
    const created = await admin('POST', '/sources', { id: 'wire', url: `${feeds.url}/rss`, pollInterval: 'PT1S', negotiations: ['talks'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'wire', pollInterval: 'PT1S', negotiations: ['talks'] });

    await eventually(async () => (await source('wire')).items === 2, 'two items');
    // Several more polls: 304s, and both instances polling.
    await eventually(async () => feeds.requests.filter((r) => r.path === '/rss' && r.headers['if-none-match']).length >= 2, 'conditional polls');
    expect(await itemEvents()).toBe(2);
    const status = await source('wire');
    expect(status).toMatchObject({ id: 'wire', url: `${feeds.url}/rss`, lastError: null, items: 2 });
    expect(status.lastFetchedAt).not.toBeNull();

    const inbox = (await call(app.url, 'GET', '/negotiations/talks/inbox', { key: ADMIN })).body.items;
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ title: 'Crimea will stay with Russia, says envoy', publisher: 'Wire', publishedAt: '2025-04-25T09:00:00.000Z', status: 'new', events: [] });
    expect(inbox[0].matchedTerms.sort()).toEqual(['RUSSIA', 'crimea']);

    // The item is edited at the source: a new version of the same item, not a second item.
    items = [{ ...items[0]!, title: 'Crimea will stay with Russia, envoy says again' }, items[1]!];
    await eventually(async () => (await itemEvents()) === 3, 'the edited version');
    const edited = (await call(app.url, 'GET', '/negotiations/talks/inbox', { key: ADMIN })).body.items;
    expect(edited.map((i: { id: string; title: string }) => [i.id, i.title])).toEqual([[inbox[0].id, 'Crimea will stay with Russia, envoy says again']]);
    expect((await source('wire')).items).toBe(2);
  });

  it('reads Atom and JSON Feed too, told apart by content', async () => {
    feeds.routes.set('/atom', withEtag(() => atom([{ id: 'urn:e1', title: 'Ukraine rejects the Paris text', updated: '2025-04-23T08:00:00Z' }]), 'text/plain'));
    feeds.routes.set('/json', withEtag(() => jsonFeed([{ id: 'j1', title: 'US sanctions relief floated', date: '2025-04-24T08:00:00Z' }]), 'text/plain'));
    await admin('POST', '/sources', { id: 'atom', url: `${feeds.url}/atom`, negotiations: ['talks'] });
    await admin('POST', '/sources', { id: 'json', url: `${feeds.url}/json`, negotiations: ['talks'] });
    await eventually(async () => (await source('atom')).items === 1 && (await source('json')).items === 1, 'both feeds read');
    const titles = (await call(app.url, 'GET', '/negotiations/talks/inbox', { key: ADMIN })).body.items.map((i: { title: string }) => i.title);
    expect(titles).toEqual(expect.arrayContaining(['Ukraine rejects the Paris text', 'US sanctions relief floated']));
  });

  it.each([
    ['a malformed feed', '/broken', (_: unknown, res: any) => res.writeHead(200, { 'content-type': 'application/xml' }).end('<rss><channel><item><title>x'), /not an RSS, Atom or JSON feed/],
    ['a 20 MB feed', '/huge', (_: unknown, res: any) => res.writeHead(200).end(rss([{ guid: 'h', title: 'x'.repeat(20 * 1024 * 1024) }])), /larger than/],
    ['a redirect to a host not allowed', '/moved', (_: unknown, res: any) => res.writeHead(302, { location: 'http://10.1.2.3/feed' }).end(), /allow-list/],
    ['a server slower than the timeout', '/slow', (_: unknown, res: any) => setTimeout(() => res.writeHead(200).end(rss([])), 4000), /no answer within/],
  ])('reports %s as the source’s last error and writes nothing', async (_what, path, route, error) => {
    const before = await itemEvents();
    feeds.routes.set(path, route as never);
    const id = path.slice(1);
    await admin('POST', '/sources', { id, url: `${feeds.url}${path}`, negotiations: ['talks'] });
    const status = await eventually(async () => {
      const s = await source(id);
      return s.lastError ? s : undefined;
    }, 'the failure to be reported');
    expect(status.lastError).toMatch(error);
    expect(status.items).toBe(0);
    expect(await itemEvents()).toBe(before);
    await admin('DELETE', `/sources/${id}`);
  });

  it('never expands XML entities (billion laughs)', async () => {
    const lol = '<!ENTITY lol "lol">' + Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('');
    feeds.routes.set('/bomb', (_req, res) =>
      res.writeHead(200).end(`<?xml version="1.0"?><!DOCTYPE rss [${lol}]><rss version="2.0"><channel><title>B</title><item><guid>b1</guid><title>&lol9;</title></item></channel></rss>`),
    );
    await admin('POST', '/sources', { id: 'bomb', url: `${feeds.url}/bomb`, negotiations: ['talks'] });
    await eventually(async () => (await source('bomb')).lastFetchedAt !== null, 'the bomb to be read');
    const { rows } = await sql<{ n: number }>`select max(length(title)) as n from news_items where source_id = 'bomb'`.execute(app.database.connection.db);
    expect(rows[0]!.n ?? 0).toBeLessThan(100);
  });

  it('refuses hosts outside PARLEY_FEED_ALLOW, unknown negotiations and non-admins, writing nothing', async () => {
    const before = await itemEvents();
    const outside = await admin('POST', '/sources', { url: 'http://10.0.0.1/feed', negotiations: ['talks'] });
    expect(outside.status).toBe(422);
    expect(outside.body.issues[0].path).toEqual(['url']);
    const unknown = await admin('POST', '/sources', { url: `${feeds.url}/rss`, negotiations: ['nowhere'] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.issues[0].path).toEqual(['negotiations', 0]);
    const writer = await call(app.url, 'POST', '/sources', { key: WRITER, json: { url: `${feeds.url}/rss`, negotiations: ['talks'] } });
    expect(writer.status).toBe(403);
    const bad = await admin('POST', '/sources', { url: `${feeds.url}/rss`, negotiations: ['talks'], pollInterval: 'PT0.1S' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['pollInterval']);
    const twice = await admin('POST', '/sources', { id: 'wire', url: `${feeds.url}/rss`, negotiations: ['talks'] });
    expect(twice.status).toBe(409);
    expect(await itemEvents()).toBe(before);
    expect((await admin('GET', '/sources/nope')).status).toBe(404);
  });

  it('stores nothing new after a restart', async () => {
    const before = await itemEvents();
    await second.close();
    second = await startTestApp(ENV, app.database);
    const polls = feeds.requests.length;
    await eventually(async () => feeds.requests.length > polls + 4, 'polls after the restart');
    expect(await itemEvents()).toBe(before);
  });
});

describe('news intake on the embedded database', () => {
  it('polls a registered feed into the inbox, as on PostgreSQL', async () => {
    const feeds = await startFeedServer();
    const app = await startEmbeddedTestApp({ PARLEY_FEED_ALLOW: '127.0.0.1', PARLEY_NEWS_TICK_MS: '50' });
    try {
      feeds.routes.set('/rss', withEtag(() => rss([{ guid: 'e1', title: 'Crimea talks resume', date: 'Sat, 26 Apr 2025 09:00:00 GMT' }])));
      await call(app.url, 'POST', '/negotiations/embedded-news/events', { json: { events: setup() } });
      const created = await call(app.url, 'POST', '/sources', { json: { id: 'wire', url: `${feeds.url}/rss`, pollInterval: 'PT1S', negotiations: ['embedded-news'] } });
      expect(created.status).toBe(201);
      const inbox = await eventually(async () => {
        const items = (await call(app.url, 'GET', '/negotiations/embedded-news/inbox')).body.items;
        return items.length === 1 ? items : undefined;
      }, 'the item in the inbox');
      expect(inbox[0]).toMatchObject({ title: 'Crimea talks resume', matchedTerms: ['crimea'], status: 'new' });
      expect((await call(app.url, 'GET', '/sources/wire')).body).toMatchObject({ items: 1, lastError: null });
    } finally {
      await app.close();
      await feeds.close();
    }
  });
});
