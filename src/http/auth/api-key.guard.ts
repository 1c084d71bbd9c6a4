import { Inject, Injectable, type CanActivate, type ExecutionContext, HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { CONFIG, type Config } from '../../config/config';
import { FeedTokens } from '../../live/feed-tokens';
import { ACCESS, FEED_TOKEN, allows, type Role } from './access';
import { ApiKeys } from './api-keys';

/** With PARLEY_API_KEYS set, every route but the public ones needs a Bearer key of enough rank. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ApiKeys) private readonly keys: ApiKeys,
    private readonly tokens: FeedTokens,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.keys.enabled) return true;
    const access = this.reflector.getAllAndOverride<Role | 'public' | 'metrics' | undefined>(ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (access === 'public' || (access === 'metrics' && this.config.PARLEY_METRICS_PUBLIC)) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const needed: Role =
      access && access !== 'metrics' ? access : request.method === 'GET' || request.method === 'HEAD' ? 'reader' : 'writer';
    const role = this.presentedRole(request) ?? this.tokenRole(context, request);
    if (!role) {
      throw new HttpException(
        { error: 'unauthorized', message: 'Send a valid key as "Authorization: Bearer <key>"' },
        401,
      );
    }
    if (!allows(role, needed)) {
      throw new HttpException({ error: 'forbidden', message: `This needs a ${needed} key; yours is a ${role} key` }, 403);
    }
    return true;
  }

  private tokenRole(context: ExecutionContext, request: Request): Role | undefined {
    const accepted = this.reflector.get<boolean | undefined>(FEED_TOKEN, context.getHandler());
    const token = request.query.token;
    return accepted && typeof token === 'string' && this.tokens.verify(token) ? 'reader' : undefined;
  }

  private presentedRole(request: Request): Role | undefined {
    const header = request.headers.authorization;
    const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
    return match ? this.keys.roleOf(match[1]!) : undefined;
  }
}
