import { applyDecorators, Inject, Injectable, SetMetadata, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from './platform';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { map, of, type Observable } from 'rxjs';
import { CONFIG, type Config } from '../config/config';
import { Metrics } from '../metrics/metrics';
import { slugSchema } from '../negotiation/domain/events';
import { negotiationIdSchema } from '../negotiation/domain/requests';
import { openNegotiation } from '../negotiation/reading/open-as-of';
import { ReadGate } from '../projection-runner/read-gate';
import { readContextOf } from './read-context';

/** How the route's answer depends on "now" when `at` is not given. */
interface CachedRoute {
  /** The answer is as of `at` (now when absent): such reads are neither tagged nor cached without it. */
  usesAt: boolean;
}

const CACHED_ROUTE = Symbol('parley:cached-as-of');
/** A `knownAt` older than this is past every append in flight: its answer can never change. */
const SETTLED_MS = 5 * 60_000;
const FOREVER = 'max-age=31536000, immutable';
/**
 * Part of every tag, so a client's tags from an older Parley are not answered 304 by a newer one
 * that computes some answer differently: bump it with any change to what an as-of route answers.
 */
const ANSWERS_VERSION = '1';

interface Entry {
  body: string;
  /** The `knownAt` the body echoes when it was "now": replaced by this read's now on a hit. */
  echoedNow: string | null;
}

/**
 * As-of answers are fixed by the question and the log position of the negotiation's last event
 * (its own stream and its rules'): every answer of an as-of route gets an ETag from those two,
 * `If-None-Match` is answered 304 before any query runs, and the serialized answer is kept in
 * an in-process LRU bounded in bytes (PARLEY_READ_CACHE_MB). An append to the negotiation moves
 * its last position, so the key changes and the old entry simply ages out: there is nothing to
 * invalidate. The primary's timeline is in the key too: after a failover that lost commits, the
 * same position can hold other events. The read still goes through the read gate first (read your writes, replicas,
 * Parley-Min-Position, the 404), so a cached answer is never older than an uncached one.
 *
 * With `knownAt` absent, answers echo "now" as `knownAt`: the ETag is weak (same content, a
 * different echo) and a hit echoes this read's now. With `at` absent on a route as of `at`,
 * nothing is tagged or cached (an event may carry a valid time a moment ahead, within the
 * clock-skew allowance, and come into view as time passes).
 */
@Injectable()
export class AsOfCache implements NestInterceptor {
  private readonly entries: LRUCache<string, Entry> | undefined;

  constructor(
    private readonly gate: ReadGate,
    private readonly reflector: Reflector,
    private readonly metrics: Metrics,
    @Inject(CONFIG) config: Config,
  ) {
    const bytes = config.PARLEY_READ_CACHE_MB * 1024 * 1024;
    this.entries = bytes > 0 ? new LRUCache<string, Entry>({ maxSize: bytes, sizeCalculation: (entry) => Math.max(1, entry.body.length * 2) }) : undefined;
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const route = this.reflector.get<CachedRoute>(CACHED_ROUTE, context.getHandler());
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const query = request.query as Record<string, unknown>;
    const nid = negotiationIdSchema.safeParse(request.params.nid);
    const scenario = typeof query.scenario === 'string' && slugSchema.safeParse(query.scenario).success ? query.scenario : undefined;
    // Every answer that includes a branch says so, CSV too (JSON bodies also carry "scenario").
    if (scenario !== undefined) response.header('Parley-Scenario', scenario);
    // CSV, a default `at`, or an id the controller will refuse: answered as they always were.
    if (!route || !nid.success || query.format !== undefined || request.headers.accept?.includes('text/csv') || (route.usesAt && query.at === undefined)) return next.handle();
    const read = readContextOf(request, response);
    const version = typeof query.version === 'string' && /^[1-9]\d{0,9}$/.test(query.version) ? Number(query.version) : undefined;
    const opened = await openNegotiation(this.gate, nid.data, read, version, version === undefined ? scenario : undefined);
    const knownAtGiven = typeof query.knownAt === 'string';
    const tag = createHash('sha256').update(`${ANSWERS_VERSION} ${pathOf(request.url)}?${canonical(query)}@${opened.found.last}/${opened.found.timeline}`).digest('base64url').slice(0, 27);
    const etag = knownAtGiven ? `"${tag}"` : `W/"${tag}"`;
    response.header('ETag', etag);
    const settled = version !== undefined || (knownAtGiven && endOf(query.knownAt as string) < opened.now.getTime() - SETTLED_MS);
    response.header('Cache-Control', settled ? FOREVER : 'no-cache');
    if (matches(request.headers['if-none-match'], tag)) {
      this.metrics.readCache.inc({ result: 'revalidated' });
      response.status(304);
      return of(undefined);
    }
    const hit = this.entries?.get(tag);
    this.metrics.readCache.inc({ result: hit ? 'hit' : 'miss' });
    if (hit) {
      response.type(JSON_TYPE);
      const now = opened.now.toISOString();
      return of(hit.echoedNow ? hit.body.replace(`"knownAt":"${hit.echoedNow}"`, `"knownAt":"${now}"`) : hit.body);
    }
    // A plain answer is serialized here, once: the bytes kept are the bytes sent. Anything
    // else (a stream, a file) goes out as the handler made it.
    return next.handle().pipe(
      map((answer) => {
        if (!this.entries || answer === null || typeof answer !== 'object' || Object.getPrototypeOf(answer) !== Object.prototype) return answer;
        const echoed = (answer as { knownAt?: unknown }).knownAt;
        if (!knownAtGiven && typeof echoed !== 'string') return answer;
        const body = JSON.stringify(answer);
        this.entries.set(tag, { body, echoedNow: knownAtGiven ? null : (echoed as string) });
        response.type(JSON_TYPE);
        return body;
      }),
    );
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** A request URL's path, without its query. */
const pathOf = (url: string) => {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
};

/** The last instant a `knownAt` names: a date means the end of that UTC day. */
function endOf(knownAt: string): number {
  const start = Date.parse(knownAt);
  return /^\d{4}-\d{2}-\d{2}$/.test(knownAt) ? start + 86_400_000 : start;
}

/** The query as a stable string: its keys sorted, `minPosition` left out (it says when, not what). */
function canonical(query: Record<string, unknown>): string {
  return Object.keys(query)
    .filter((key) => key !== 'minPosition')
    .sort()
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(String(query[key]))}`)
    .join('&');
}

/** If-None-Match, weakly compared (RFC 9110 §13.1.2): `*`, or any listed tag with the same opaque part. */
function matches(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === `"${tag}"`);
}

/** Marks an as-of route: its answers are tagged, revalidated with 304 and cached (see AsOfCache). */
export const CachedAsOf = (route: CachedRoute) => applyDecorators(SetMetadata(CACHED_ROUTE, route), UseInterceptors(AsOfCache));
