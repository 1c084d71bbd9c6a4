import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultWatch, isAcronym, matchedTerms, type Watch } from '../../../src/news/matching';
import { feedItems } from '../../../src/news/feed-parsing';
import { itemId, itemReceived } from '../../../src/news/news-items';
import { exampleDatasetPath } from '../../../src/config/paths';

describe('matchedTerms', () => {
  it('given terms, when an item names them as whole words in any case, then those terms match, in the terms’ order', () => {
    const item = { title: "NATO's summit: no seat for Ukraine", summary: 'Crimea (again) on the table' };
    expect(matchedTerms(['crimea', 'NATO', 'Ukraine', 'senat'], item)).toEqual(['crimea', 'NATO', 'Ukraine']);
  });

  it('given a term inside a longer word, then it does not match', () => {
    expect(matchedTerms(['NATO', 'US'], { title: 'NATOs and USSR and senatorial' })).toEqual([]);
  });

  it('given a term with regex characters, then it is matched literally', () => {
    expect(matchedTerms(['U.S.'], { title: 'The U.S. framework' })).toEqual(['U.S.']);
    expect(matchedTerms(['U.S.'], { title: 'The UXSX framework' })).toEqual([]);
  });

  it('matches case-sensitive terms only as written, and nothing in an item holding an excluded term', () => {
    const watch: Watch = { terms: ['sanctions'], caseSensitive: ['US'], exclude: ['US Open'] };
    expect(matchedTerms(watch, { title: 'US sanctions on the table' })).toEqual(['sanctions', 'US']);
    expect(matchedTerms(watch, { title: 'The bakery tells us about sanctions' })).toEqual(['sanctions']);
    expect(matchedTerms(watch, { title: 'us' })).toEqual([]);
    expect(matchedTerms(watch, { title: 'US Open: sanctions lifted for players' })).toEqual([]);
  });

  it('default watch: party names, issue titles, aliases and keywords, each once; aliases and keywords written as acronyms only as written', () => {
    expect(isAcronym('US') && isAcronym('E3') && isAcronym('NATO')).toBe(true);
    expect(isAcronym('Us') || isAcronym('Kyiv') || isAcronym('3') || isAcronym('UNITEDSTATES')).toBe(false);
    // A name is matched in any case, even in capitals ("RUSSIA"): the contract's rule for names.
    expect(defaultWatch([{ name: 'United States', aliases: ['US', 'us', 'Washington'] }, { name: 'UKRAINE', aliases: [] }], [{ title: 'Crimea', keywords: ['NATO', 'ceasefire', 'crimea'] }])).toEqual({
      terms: ['United States', 'UKRAINE', 'crimea', 'us', 'Washington', 'ceasefire'],
      caseSensitive: ['US', 'NATO'],
      exclude: [],
    });
  });
});

/**
 * A small labelled set of headlines (tests/fixtures/news/headlines.json), matched against the
 * example's default watch: precision and recall are printed, then and now (the contract's
 * case-insensitive names, aliases and titles alone), and with one exclusion a desk would add.
 */
describe('matching a labelled set of headlines (the example negotiation)', () => {
  const { headlines } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'news', 'headlines.json'), 'utf8')) as { headlines: { title: string; summary?: string; relevant: boolean }[] };
  const events = readFileSync(exampleDatasetPath(), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string; data: Record<string, any> });
  const parties = events.filter((e) => e.type === 'PartyAdded').map((e) => ({ name: e.data.name as string, aliases: (e.data.aliases ?? []) as string[] }));
  const issues = events.filter((e) => e.type === 'IssueDefined').map((e) => ({ title: e.data.title as string, keywords: (e.data.keywords ?? []) as string[] }));

  const score = (watch: Watch | string[]) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const h of headlines) {
      const matched = matchedTerms(watch, h).length > 0;
      if (matched && h.relevant) tp++;
      if (matched && !h.relevant) fp++;
      if (!matched && h.relevant) fn++;
    }
    return { precision: tp / (tp + fp), recall: tp / (tp + fn), tp, fp, fn };
  };

  it('matches more of what matters and less of what does not than names and titles matched in any case', () => {
    // Before: every name, alias and title, case-insensitively, no keywords (the contract's default).
    const before = score([...parties.flatMap((p) => [p.name, ...p.aliases]), ...issues.map((i) => i.title)]);
    const now = score(defaultWatch(parties, issues));
    const excluding = score({ ...defaultWatch(parties, issues), exclude: ['US Open'] });
    const line = (name: string, s: ReturnType<typeof score>) => `${name.padEnd(34)} precision ${s.precision.toFixed(2)}  recall ${s.recall.toFixed(2)}  (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`;
    process.stdout.write(
      `\nNews matching, ${headlines.length} labelled headlines (${headlines.filter((h) => h.relevant).length} relevant):\n${line('names and titles, any case', before)}\n${line('default watch (acronyms, keywords)', now)}\n${line('… and exclude "US Open"', excluding)}\n`,
    );
    expect(now.recall).toBeGreaterThan(before.recall);
    expect(now.precision).toBeGreaterThan(before.precision);
    expect(excluding.precision).toBeGreaterThan(now.precision);
    expect(excluding.recall).toBe(now.recall);
    // The pronoun no longer reads as the party, and the article's key terms are found.
    expect(matchedTerms(defaultWatch(parties, issues), { title: 'Local bakery tells us its bread prices will rise' })).toEqual([]);
    expect(matchedTerms(defaultWatch(parties, issues), { title: 'NATO foreign ministers discuss membership path' })).toEqual(['NATO']);
  });
});

describe('news item identity', () => {
  it('given the same guid from the same source, then the id is the same, whatever the content; another source gives another id', () => {
    expect(itemId({ source: 'wire' }, { guid: 'g1' })).toBe(itemId({ source: 'wire' }, { guid: 'g1', url: 'https://x.example/1' }));
    expect(itemId({ source: 'wire' }, { guid: 'g1' })).not.toBe(itemId({ negotiation: 'wire' }, { guid: 'g1' }));
  });

  it('given an edited item, then it is a new version (event id) of the same item', () => {
    const first = itemReceived({ source: 'wire' }, { guid: 'g1', title: 'A' });
    const edited = itemReceived({ source: 'wire' }, { guid: 'g1', title: 'B' });
    expect(edited.data.item).toBe(first.data.item);
    expect(edited.id).not.toBe(first.id);
    expect(itemReceived({ source: 'wire' }, { guid: 'g1', title: 'A' }).id).toBe(first.id);
  });
});

describe('feedItems', () => {
  it('reads an RSS item’s guid, link, title, date (RFC 822) and the feed title as publisher', () => {
    const rss = '<rss version="2.0"><channel><title>Wire</title><item><guid>g</guid><link>https://w.example/g</link><title>T &amp; U</title><pubDate>Thu, 17 Apr 2025 10:00:00 GMT</pubDate><description>&lt;p&gt;Hello&lt;/p&gt;</description></item></channel></rss>';
    expect(feedItems(rss)).toEqual({ items: [{ guid: 'g', url: 'https://w.example/g', title: 'T & U', publisher: 'Wire', publishedAt: '2025-04-17T10:00:00.000Z', summary: 'Hello' }], notes: [] });
  });

  it('refuses items with no title or identity, saying why, and keeps an item whose link is not http(s)', () => {
    const rss = '<rss version="2.0"><channel><title>W</title><item><title>no id</title></item><item><guid>x</guid></item><item><guid>y</guid><link>ftp://f/y</link><title>ok</title></item></channel></rss>';
    const { items, notes } = feedItems(rss);
    expect(items).toEqual([{ guid: 'y', title: 'ok', publisher: 'W' }]);
    expect(notes).toEqual([expect.stringMatching(/^item 1 \("no id"\) refused: guid: An item needs a guid or a url/), expect.stringMatching(/^item 2 refused: title: /)]);
  });

  it('keeps an item whose text is too long (trimmed, its original length noted) or whose date Parley cannot hold (set aside)', () => {
    const long = (n: number) => 'x'.repeat(n);
    const rss = `<rss version="2.0"><channel><title>W</title>
      <item><guid>a</guid><title>${long(1208)}</title><description>${long(12_000)}</description></item>
      <item><guid>b</guid><title>ancient</title><pubDate>0500-01-01T00:00:00Z</pubDate></item>
      <item><guid>c</guid><title>far</title><pubDate>+012000-01-01T00:00:00Z</pubDate></item></channel></rss>`;
    const { items, notes } = feedItems(rss);
    expect(items.map((i) => i.guid)).toEqual(['a', 'b', 'c']);
    expect(items[0]!.title).toHaveLength(1000);
    expect(items[0]!.summary).toHaveLength(10_000);
    expect(items[0]!.originalLengths).toEqual({ title: 1208, summary: 12_000 });
    expect(items[1]!.publishedAt).toBeUndefined();
    expect(items[2]!.publishedAt).toBeUndefined();
    expect(notes).toEqual([
      expect.stringMatching(/title trimmed from 1208 to 1000 characters/),
      expect.stringMatching(/summary trimmed from 12000 to 10000 characters/),
      expect.stringMatching(/^item 2 \("ancient"\): its date 0500-01-01T00:00:00Z lies outside 1000–9999/),
      expect.stringMatching(/^item 3 \("far"\): its date \+012000-01-01T00:00:00Z lies outside/),
    ]);
  });
});

describe('feedItems across formats', () => {
  it('reads Atom: the entry id as guid, the alternate link, updated as the date, the feed title as publisher', () => {
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title><id>urn:w</id><updated>2025-04-20T00:00:00Z</updated>
      <entry><id>urn:e1</id><title>Ukraine rejects the Paris text</title><link rel="alternate" href="https://atom.example/e1"/><updated>2025-04-23T08:00:00Z</updated><summary>Kyiv says no.</summary></entry></feed>`;
    expect(feedItems(atom)).toEqual({
      items: [{ guid: 'urn:e1', url: 'https://atom.example/e1', title: 'Ukraine rejects the Paris text', publisher: 'Atom Wire', publishedAt: '2025-04-23T08:00:00.000Z', summary: 'Kyiv says no.' }],
      notes: [],
    });
  });

  it('reads JSON Feed 1.1, told apart from RSS by content', () => {
    const json = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'JSON Wire', items: [{ id: 'j1', url: 'https://json.example/j1', title: 'US sanctions relief floated', date_published: '2025-04-24T08:00:00Z', content_text: 'A draft.' }] });
    expect(feedItems(json).items).toEqual([{ guid: 'j1', url: 'https://json.example/j1', title: 'US sanctions relief floated', publisher: 'JSON Wire', publishedAt: '2025-04-24T08:00:00.000Z', summary: 'A draft.' }]);
  });

  it('refuses a document that is no feed, saying so', () => {
    expect(() => feedItems('<html><body>not a feed</body></html>')).toThrow(/not an RSS, Atom or JSON feed/);
  });
});
