import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from './access';

/**
 * The configured keys, kept as SHA-256 digests: comparing digests of equal length in constant
 * time leaks neither a key's content nor its length, and the keys themselves are not kept.
 */
export class ApiKeys {
  private readonly digests: { role: Role; digest: Buffer; name: string | undefined }[];

  constructor(keys: { role: Role; key: string; name?: string }[]) {
    this.digests = keys.map(({ role, key, name }) => ({ role, digest: digest(key), name }));
  }

  get enabled(): boolean {
    return this.digests.length > 0;
  }

  /** The role of a presented key, or undefined. Every key is compared, match or not. */
  roleOf(presented: string): Role | undefined {
    return this.holderOf(presented)?.role;
  }

  /** The role and the holder's name (when the key names one) of a presented key. */
  holderOf(presented: string): { role: Role; name: string | undefined } | undefined {
    const candidate = digest(presented);
    let found: { role: Role; name: string | undefined } | undefined;
    for (const { role, digest: known, name } of this.digests) {
      if (timingSafeEqual(candidate, known) && (!found || role === 'admin' || (role === 'writer' && found.role === 'reader'))) {
        found = { role, name };
      }
    }
    return found;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
