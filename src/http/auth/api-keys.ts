import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from './access';

/**
 * The configured keys, kept as SHA-256 digests: comparing digests of equal length in constant
 * time leaks neither a key's content nor its length, and the keys themselves are not kept.
 */
export class ApiKeys {
  private readonly digests: { role: Role; digest: Buffer }[];

  constructor(keys: { role: Role; key: string }[]) {
    this.digests = keys.map(({ role, key }) => ({ role, digest: digest(key) }));
  }

  get enabled(): boolean {
    return this.digests.length > 0;
  }

  /** The role of a presented key, or undefined. Every key is compared, match or not. */
  roleOf(presented: string): Role | undefined {
    const candidate = digest(presented);
    let found: Role | undefined;
    for (const { role, digest: known } of this.digests) {
      if (timingSafeEqual(candidate, known) && (!found || role === 'admin' || (role === 'writer' && found === 'reader'))) {
        found = role;
      }
    }
    return found;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
