import { FeedTokens } from '../../../src/feed/feed-tokens';

const FEED_TOKEN_TTL_MS = 60_000;

describe('FeedTokens', () => {
  const keys = [{ key: 'reader-key-0123456789' }];

  it('accepts its own tokens until they expire', () => {
    const tokens = new FeedTokens(keys);
    const { token, expiresAt } = tokens.issue(1_000_000);
    expect(Date.parse(expiresAt)).toBe(1_000_000 + FEED_TOKEN_TTL_MS);
    expect(tokens.verify(token, 1_000_000 + FEED_TOKEN_TTL_MS)).toBe(true);
    expect(tokens.verify(token, 1_000_001 + FEED_TOKEN_TTL_MS)).toBe(false);
  });

  it('is accepted by every server with the same keys, and by none after the keys change', () => {
    const { token } = new FeedTokens(keys).issue();
    expect(new FeedTokens([...keys]).verify(token)).toBe(true);
    expect(new FeedTokens([{ key: 'another-key-0123456789' }]).verify(token)).toBe(false);
  });

  it('refuses forged and malformed tokens', () => {
    const tokens = new FeedTokens(keys);
    const { token } = tokens.issue();
    const [expires] = token.split('.');
    expect(tokens.verify(`${Number(expires) + 1000}.${token.split('.')[1]}`)).toBe(false);
    for (const bad of ['', '.', 'abc', `${expires}.`, `${expires}.x`]) expect(tokens.verify(bad)).toBe(false);
  });
});
