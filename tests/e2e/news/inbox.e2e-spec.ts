import { call, startEmbeddedTestApp, startTestApp } from '../../support/app';
import { dismissed, setup, stated } from '../../support/builders';

type App = { url: string; close(): Promise<void> };

const inboxBehaviour = (start: () => Promise<App>) => () => {
  let app: App;
  const post = (path: string, json: unknown) => call(app.url, 'POST', path, { json });
  const inbox = async (status?: string) => (await call(app.url, 'GET', `/negotiations/desk/inbox${status ? `?status=${status}` : ''}`)).body.items;

  beforeAll(async () => {
    app = await start();
    await post('/negotiations/desk/events', { events: setup() });
  });
  afterAll(() => app.close());

  it('takes pushed items once, matches them on the watch terms, and codes one into a position that cites it', async () => {
    const items = [
      { guid: 'r-1', url: 'https://reuters.example/paris', title: 'US offers to recognise Crimea as Russian', publisher: 'Reuters', publishedAt: '2025-04-25T10:00:00Z' },
      { url: 'https://wire.example/weather', title: 'Rain in London' },
    ];
    const pushed = await post('/negotiations/desk/news', { items });
    expect(pushed.status).toBe(201);
    expect(pushed.body.items.map((i: { matched: boolean }) => i.matched)).toEqual([true, false]);
    const again = await post('/negotiations/desk/news', { items });
    expect(again.body.items.map((i: { id: string }) => i.id)).toEqual(pushed.body.items.map((i: { id: string }) => i.id));
    expect(again.body.appended).toBe(0);

    const [item] = await inbox('new');
    expect(item).toMatchObject({ id: pushed.body.items[0].id, title: items[0]!.title, status: 'new' });
    expect(item.matchedTerms.sort()).toEqual(['US', 'crimea']);

    // Coding: the position cites the item; url, publisher and publishedAt come from it.
    const coded = await post('/negotiations/desk/events', { events: [{ ...stated('us', 'sanctions', 30, '2025-04-17'), source: { itemId: item.id } }] });
    expect(coded.status).toBe(201);
    const [event] = (await call(app.url, 'GET', '/negotiations/desk/events')).body.events.slice(-1);
    expect(event.source).toEqual({ itemId: item.id, url: items[0]!.url, publisher: 'Reuters', publishedAt: '2025-04-25T10:00:00.000Z' });
    const [codedItem] = await inbox('coded');
    expect(codedItem).toMatchObject({ id: item.id, status: 'coded', events: [event.id] });
    expect(await inbox('new')).toEqual([]);
    // What was public before the report came out: not this position.
    const before = await call(app.url, 'GET', '/negotiations/desk/stances?publicAt=2025-04-24');
    expect(before.body.stances.find((s: { issue: string }) => s.issue === 'sanctions')).toBeUndefined();
  });

  it('refuses an unknown item, naming the field, and writes nothing', async () => {
    const version = (await call(app.url, 'GET', '/negotiations/desk')).body.version;
    const answer = await post('/negotiations/desk/events', { events: [{ ...stated('us', 'crimea', 50, '2025-04-18'), source: { itemId: '00000000-0000-4000-8000-000000000000' } }] });
    expect(answer.status).toBe(422);
    expect(answer.body.issues[0].path).toEqual(['events', 0, 'source', 'itemId']);
    expect((await call(app.url, 'GET', '/negotiations/desk')).body.version).toBe(version);
  });

  it('sets watch terms, and dismisses an item with a reason', async () => {
    expect((await call(app.url, 'GET', '/negotiations/desk/watch')).body).toMatchObject({ default: true });
    const set = await call(app.url, 'PUT', '/negotiations/desk/watch', { json: { terms: ['London', 'london', 'ceasefire'] } });
    expect(set.body.terms).toEqual(['london', 'ceasefire']);
    expect((await call(app.url, 'GET', '/negotiations/desk/watch')).body).toEqual({ terms: ['london', 'ceasefire'], caseSensitive: [], exclude: [], default: false });
    const [rain] = await inbox('new');
    expect(rain).toMatchObject({ title: 'Rain in London', matchedTerms: ['london'] });

    const before = (await call(app.url, 'GET', '/negotiations/desk')).body.version;
    const cited = await call(app.url, 'GET', `/negotiations/desk/versions/${before}`);
    // Mixed with a fact of the negotiation, a dismissal is refused where it stands, and nothing is written.
    const mixed = await post('/negotiations/desk/events', { events: [stated('us', 'crimea', 40, '2025-04-26'), dismissed(rain.id, '2025-04-26', 'weather')] });
    expect(mixed.status).toBe(422);
    expect(mixed.body.issues).toEqual([expect.objectContaining({ code: 'NEGOTIATION.DISMISSAL_NOT_ALONE', path: ['events', 1, 'type'] })]);
    const stale = await post('/negotiations/desk/events', { events: [dismissed(rain.id, '2025-04-26', 'weather')], expectedVersion: before - 1 });
    expect(stale.status).toBe(409);

    const dismissal = await post('/negotiations/desk/events', { events: [dismissed(rain.id, '2025-04-26', 'weather, not talks')], expectedVersion: before });
    expect(dismissal.status).toBe(201);
    // Triage is not a fact of the negotiation: its version, and so every citation of it, stand.
    expect(dismissal.body.streamVersion).toBe(before);
    expect((await call(app.url, 'GET', '/negotiations/desk')).body.version).toBe(before);
    expect((await call(app.url, 'GET', `/negotiations/desk/versions/${before}`)).body).toEqual(cited.body);
    const logged = (await call(app.url, 'GET', '/events?limit=1000')).body.events.filter((e: { type: string }) => e.type === 'NewsItemDismissed');
    expect(logged.map((e: { negotiation: string }) => e.negotiation)).toEqual(['desk.news']);
    expect(await inbox('new')).toEqual([]);
    expect(await inbox('dismissed')).toEqual([expect.objectContaining({ id: rain.id, status: 'dismissed', dismissedFor: 'weather, not talks' })]);
    const bad = await call(app.url, 'GET', '/negotiations/desk/inbox?status=maybe');
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['status']);
  });

  it('matches case-sensitive terms as written and leaves out items holding an excluded term', async () => {
    const set = await call(app.url, 'PUT', '/negotiations/desk/watch', { json: { terms: ['talks'], caseSensitive: ['US', 'US'], exclude: ['US Open', 'us open'] } });
    expect(set.body).toEqual({ terms: ['talks'], caseSensitive: ['US'], exclude: ['us open'] });
    const pushed = await post('/negotiations/desk/news', {
      items: [
        { guid: 'cs-1', title: 'US envoy heads to Moscow' },
        { guid: 'cs-2', title: 'Tell us your stories' },
        { guid: 'cs-3', title: 'US Open: talks over prize money' },
      ],
    });
    expect(pushed.body.items.map((i: { matched: boolean; matchedTerms: string[] }) => [i.matched, i.matchedTerms])).toEqual([
      [true, ['US']],
      [false, []],
      [false, []],
    ]);
    const bad = await call(app.url, 'PUT', '/negotiations/desk/watch', { json: { terms: [], exclude: 'US Open' } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toEqual(['exclude']);
  });
};

describe('the news inbox on PostgreSQL', inboxBehaviour(() => startTestApp()));
describe('the news inbox on the embedded database', inboxBehaviour(() => startEmbeddedTestApp()));

describe('news alerts', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    app = await startTestApp();
    await call(app.url, 'POST', '/negotiations/wire/events', { json: { events: setup() } });
  });
  afterAll(() => app.close());

  it('fire once on a new item naming the rule’s terms and party, not on others or on a repeat', async () => {
    const rule = await call(app.url, 'POST', '/negotiations/wire/alert-rules', { json: { name: 'ceasefire news', rule: { kind: 'news', terms: ['ceasefire'], party: 'russia' } } });
    expect(rule.status).toBe(201);
    const push = (title: string) => call(app.url, 'POST', '/negotiations/wire/news', { json: { items: [{ guid: title, title }] } });
    await push('RUSSIA proposes a ceasefire');
    await push('Ceasefire in another war');
    await push('RUSSIA and the weather');
    await push('RUSSIA proposes a ceasefire');
    const alerts = (await call(app.url, 'GET', '/negotiations/wire/alerts')).body.alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0].data).toMatchObject({ rule: rule.body.id, kind: 'news', triggeringEvent: { type: 'NewsItemReceived' }, after: { title: 'RUSSIA proposes a ceasefire', matchedTerms: ['ceasefire'] } });
    const unknown = await call(app.url, 'POST', '/negotiations/wire/alert-rules', { json: { name: 'x', rule: { kind: 'news', party: 'china' } } });
    expect(unknown.status).toBe(422);
  });
});
