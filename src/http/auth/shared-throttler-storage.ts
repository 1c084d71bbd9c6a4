import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RateWindows } from '../../database/rate-windows';

/** @nestjs/throttler's storage over RateWindows: the opt-in limits, shared across instances. */
export class SharedThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly windows: RateWindows) {}

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string) {
    const { hits, msLeft } = await this.windows.hit(`throttle:${throttlerName}:${key}`, ttl);
    const seconds = Math.max(1, Math.ceil(msLeft / 1000));
    return { totalHits: hits, timeToExpire: seconds, isBlocked: hits > limit, timeToBlockExpire: hits > limit ? seconds : 0 };
  }
}
