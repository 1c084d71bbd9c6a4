import { createHash } from 'node:crypto';
import type { Request } from '../platform';
import type { Role } from './access';

/**
 * Who a request comes from, once ApiKeyGuard has verified it: the rate limiter counts per
 * caller, so it keys on what was verified (a key's digest, a feed token, the client address),
 * never on a header anyone can vary.
 */
export interface Caller {
  /** Without PARLEY_API_KEYS nobody is authenticated: `anonymous`. */
  role: Role | 'anonymous';
  id: string;
  /** The key's holder (`role:name:key`): recorded as `codedBy` on what they write. */
  name?: string | undefined;
}

const CALLER = Symbol('parley.caller');

export function setCaller(request: Request, caller: Caller): void {
  (request as unknown as Record<symbol, Caller>)[CALLER] = caller;
}

export function callerOf(request: Request): Caller {
  return (request as unknown as Record<symbol, Caller | undefined>)[CALLER] ?? { role: 'anonymous', id: addressOf(request) };
}

export const addressOf = (request: Request) => `ip:${request.ip ?? request.socket?.remoteAddress ?? 'unknown'}`;

/** A stable id for a verified key that is not the key: part of its SHA-256. */
export const keyId = (key: string) => `key:${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 24)}`;

/** Who may see proposals that are not theirs (review): admins, and everyone on a server without keys. */
export const isReviewer = (role: Caller['role']) => role === 'admin' || role === 'anonymous';
