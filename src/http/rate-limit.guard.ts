import { Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerRequest } from '@nestjs/throttler';
import type { Request } from './platform';
import { callerOf } from './auth/caller';

/** Which limit applies to whom: `writers` for writer and admin keys, `readers` for the rest. */
export const RATE_LIMITS = { readers: 'readers', writers: 'writers' } as const;

/**
 * Rate limits per verified caller (ApiKeyGuard runs first): a key's digest, or the client
 * address for anonymous callers and feed tokens. Writers and admins have a limit of their own
 * (PARLEY_RATE_LIMIT_WRITERS, off by default: a news pipeline or 16 writers retrying on one
 * stream must not turn into 429s); readers and anonymous clients have PARLEY_RATE_LIMIT.
 * Without keys there are no roles, and writes count as a writer's.
 * Answers 429 with Retry-After.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, any>): Promise<string> {
    return callerOf(request as Request).id;
  }

  // One limit applies to a request, so its headers go out under the plain names (Retry-After),
  // not the throttler's suffixed ones (Retry-After-readers).
  protected override setResponseHeader(res: Record<string, any>, name: string, value: string | number): void {
    super.setResponseHeader(res, name.replace(/-(readers|writers)$/, ''), value);
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const request = this.getRequestResponse(props.context).req as Request;
    const { role } = callerOf(request);
    // Without keys (loopback only) there are no roles: writes count as a writer's.
    const writes = role === 'writer' || role === 'admin' || (role === 'anonymous' && request.method !== 'GET' && request.method !== 'HEAD');
    const wanted = writes ? RATE_LIMITS.writers : RATE_LIMITS.readers;
    if (props.throttler.name !== wanted || props.limit === 0) return true;
    return super.handleRequest(props);
  }
}
