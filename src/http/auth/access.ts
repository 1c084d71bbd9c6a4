import { SetMetadata } from '@nestjs/common';

export type Role = 'reader' | 'writer' | 'admin';
export const ACCESS = 'parley:access';

/**
 * Who may call a route. Without it, reads (GET, HEAD) need a reader key and everything else
 * a writer key; `public` routes (health) need none; `metrics` is public when
 * PARLEY_METRICS_PUBLIC=true, else a reader route.
 */
export const Access = (access: Role | 'public' | 'metrics') => SetMetadata(ACCESS, access);

export const FEED_TOKEN = 'parley:feed-token';

/** The route also accepts `?token=` from POST /feed/tokens, as a reader. */
export const FeedTokenAccepted = () => SetMetadata(FEED_TOKEN, true);

const RANK: Record<Role, number> = { reader: 1, writer: 2, admin: 3 };

export function allows(held: Role, needed: Role): boolean {
  return RANK[held] >= RANK[needed];
}
