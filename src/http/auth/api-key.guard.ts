import { Inject, Injectable, type CanActivate, type ExecutionContext, HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from '../platform';
import { CONFIG, type Config } from '../../config/config';
import { FeedTokens } from '../../feed/feed-tokens';
import { ACCESS, FEED_TOKEN, allows, type Role } from './access';
import { ApiKeys } from './api-keys';
import { AuthFailures } from './auth-failures';
import { RateWindows } from '../../database/rate-windows';
import { DATABASE } from '../../database/database.module';
import type { DatabaseConnection } from '../../database/connection';
import { addressOf, keyId, setCaller, type Caller } from './caller';

/**
 * With PARLEY_API_KEYS set, every route but the public ones needs a Bearer key of enough rank.
 * Wrong keys are counted per client address, across every instance (in the database); past
 * PARLEY_AUTH_FAILURE_LIMIT a minute, the address's wrong keys get 429 until the minute is
 * over (its valid keys still pass).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly failures: AuthFailures;

  constructor(
    private readonly reflector: Reflector,
    @Inject(ApiKeys) private readonly keys: ApiKeys,
    private readonly tokens: FeedTokens,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(DATABASE) connection: DatabaseConnection,
  ) {
    this.failures = new AuthFailures(config.PARLEY_AUTH_FAILURE_LIMIT, new RateWindows(connection.db));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const address = addressOf(request);
    if (!this.keys.enabled) {
      setCaller(request, { role: 'anonymous', id: address });
      return true;
    }
    const access = this.reflector.getAllAndOverride<Role | 'public' | 'metrics' | undefined>(ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (access === 'public' || (access === 'metrics' && this.config.PARLEY_METRICS_PUBLIC)) {
      setCaller(request, { role: 'anonymous', id: address });
      return true;
    }
    const needed: Role =
      access && access !== 'metrics' ? access : request.method === 'GET' || request.method === 'HEAD' ? 'reader' : 'writer';
    const caller = this.presented(request) ?? this.token(context, request, address);
    if (!caller) {
      // Only a wrong key or token counts as a failure, and only failures are refused: a request
      // with no credentials (the dashboard before a key is typed, a keyless scrape) is a plain
      // 401, and a valid key is never refused for what others behind the same address sent.
      if (!this.sentCredentials(request)) throw unauthorized();
      const blocked = await this.failures.blockedFor(address);
      if (blocked > 0) {
        context.switchToHttp().getResponse<Response>().header('Retry-After', String(blocked));
        throw new HttpException({ error: 'too_many_requests', message: `Too many failed authentications from this address; retry in ${blocked} s` }, 429);
      }
      await this.failures.record(address);
      throw unauthorized();
    }
    setCaller(request, caller);
    if (!allows(caller.role as Role, needed)) {
      throw new HttpException({ error: 'forbidden', message: `This needs a ${needed} key; yours is a ${caller.role} key` }, 403);
    }
    return true;
  }

  private sentCredentials(request: Request): boolean {
    return request.headers.authorization !== undefined || request.query.token !== undefined;
  }

  private token(context: ExecutionContext, request: Request, address: string): Caller | undefined {
    const accepted = this.reflector.get<boolean | undefined>(FEED_TOKEN, context.getHandler());
    const token = request.query.token;
    return accepted && typeof token === 'string' && this.tokens.verify(token) ? { role: 'reader', id: `token:${address}` } : undefined;
  }

  private presented(request: Request): Caller | undefined {
    const header = request.headers.authorization;
    const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
    if (!match) return undefined;
    const holder = this.keys.holderOf(match[1]!);
    return holder ? { role: holder.role, id: keyId(match[1]!), name: holder.name } : undefined;
  }
}

const unauthorized = () => new HttpException({ error: 'unauthorized', message: 'Send a valid key as "Authorization: Bearer <key>"' }, 401);
