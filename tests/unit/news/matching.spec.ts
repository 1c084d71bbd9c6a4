import { defaultTerms, matchedTerms } from '../../../src/news/matching';
import { feedItems } from '../../../src/news/feed-parsing';
import { itemId, itemReceived } from '../../../src/news/news-items';

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

  it('default terms are party names, aliases and issue titles, each once', () => {
    expect(defaultTerms([{ name: 'United States', aliases: ['US', 'us'] }, { name: 'Ukraine', aliases: [] }], [{ title: 'Crimea' }])).toEqual(['United States', 'US', 'Ukraine', 'Crimea']);
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
    expect(feedItems(rss)).toEqual([{ guid: 'g', url: 'https://w.example/g', title: 'T & U', publisher: 'Wire', publishedAt: '2025-04-17T10:00:00.000Z', summary: 'Hello' }]);
  });

  it('leaves out items with no title or identity, and keeps an item whose link is not http(s)', () => {
    const rss = '<rss version="2.0"><channel><title>W</title><item><title>no id</title></item><item><guid>x</guid></item><item><guid>y</guid><link>ftp://f/y</link><title>ok</title></item></channel></rss>';
    expect(feedItems(rss)).toEqual([{ guid: 'y', title: 'ok', publisher: 'W' }]);
  });
});
