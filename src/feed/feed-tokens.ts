import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived tokens for `/feed?token=`, because browsers' EventSource cannot send headers.
 * A token is `<expiry ms>.<HMAC-SHA256(expiry)>`, keyed by a digest of the configured API
 * keys: every server with the same keys accepts it, and rotating the keys revokes it.
 */
export class FeedTokens {
  private readonly secret: Buffer;

  constructor(
    apiKeys: { key: string }[],
    private readonly ttlMs = 60_000,
  ) {
    this.secret = createHash('sha256').update(apiKeys.map((k) => k.key).sort().join('\n')).digest();
  }

  issue(now = Date.now()): { token: string; expiresAt: string } {
    const expires = now + this.ttlMs;
    return { token: `${expires}.${this.sign(expires)}`, expiresAt: new Date(expires).toISOString() };
  }

  verify(token: string, now = Date.now()): boolean {
    const [expiresText, signature] = token.split('.');
    const expires = Number(expiresText);
    if (!Number.isInteger(expires) || !signature || expires < now) return false;
    const expected = Buffer.from(this.sign(expires));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private sign(expires: number): string {
    return createHmac('sha256', this.secret).update(String(expires)).digest('base64url');
  }
}
