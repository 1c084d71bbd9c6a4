import { SkipThrottle } from '@nestjs/throttler';
import { Controller, Get, Headers, HttpCode, HttpException, Inject, Logger, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { takeOver, type Request, type Response } from './platform';
import { z } from 'zod';
import { CONFIG, type Config } from '../config/config';
import { EventStore } from '../event-store/event-store';
import { Access, FeedTokenAccepted } from './auth/access';
import { callerOf, isReviewer } from './auth/caller';
import { parseWith } from '../shared/parse-with';
import { FeedConnection } from '../feed/feed-connection';
import { FeedTokens } from '../feed/feed-tokens';
import { FeedHub } from '../feed/feed.hub';
import { Metrics } from '../metrics/metrics';
import { feedParams } from './params';


@ApiTags('live')
@ApiBearerAuth()
@SkipThrottle()
@Controller('feed')
export class FeedController {
  private readonly logger = new Logger('Feed');

  constructor(
    private readonly hub: FeedHub,
    private readonly store: EventStore,
    private readonly tokens: FeedTokens,
    @Inject(CONFIG) private readonly config: Config,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Server-Sent Events: every event and alert firing as it is recorded. SSE id = global
   * position; Last-Event-ID (which wins over ?after=) resumes after it; with neither, the
   * feed starts at the head.
   */
  @Get()
  @Access('reader')
  @FeedTokenAccepted()
  async feed(@Query() query: unknown, @Headers('last-event-id') lastEventId: string | undefined, @Req() request: Request, @Res() response: Response) {
    const params = parseWith(feedParams, query);
    const caller = callerOf(request).id;
    if (!this.hub.admits(caller)) {
      response.header('Retry-After', '5');
      throw new HttpException(
        { error: 'too_many_requests', message: `At most ${this.config.PARLEY_FEED_MAX_PER_CLIENT} feed connections per client (PARLEY_FEED_MAX_PER_CLIENT); close one first` },
        429,
      );
    }
    const resumeFrom = lastEventId === undefined ? undefined : parseWith(z.coerce.number().int().min(0), lastEventId, ['Last-Event-ID']);
    const after = resumeFrom ?? params.after ?? (await this.store.headPosition());
    // The connection is the hub's from here.
    // The stream ends when the connection does (`Connection: close`, no chunked framing): a feed
    // connection is never reused for another request anyway, and each frame is then one plain
    // socket write, where chunked framing costs a cork and a deferred writev per write (5,000
    // clients at 50 events/s: docs/architecture.md, "One append, from HTTP to the feed").
    const raw = takeOver(response, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' }, { unframed: true });
    raw.flushHeaders();
    const connection = new FeedConnection(this.hub, raw, {
      after,
      filter: {
        ...(params.negotiation ? { negotiation: params.negotiation } : {}),
        ...(params.types ? { types: params.types } : {}),
        ...(params.scenario ? { scenario: params.scenario } : {}),
        // Proposals are coders' drafts (blind when double-coded): only reviewers may ask for them.
        review: isReviewer(callerOf(request).role),
      },
      heartbeatMs: this.config.PARLEY_FEED_HEARTBEAT_MS,
      maxBufferedBytes: this.config.PARLEY_FEED_MAX_BUFFER,
      retryMs: 1000,
      onDropped: () => this.metrics.sseDropped.inc(),
    });
    // The handler returns at once and the connection lives on in the hub: awaited here, every
    // client would hold Nest's handler, interceptors and their promises for as long as it stays
    // (hours): a sixth of the live heap an idle client holds (BENCHMARKS.md, section 7).
    this.hub.serve(connection, caller).catch((error: unknown) => this.logger.error({ err: error }, 'feed connection failed'));
  }

  /**
   * A token valid for PARLEY_FEED_TOKEN_TTL_MS (60 s), for `GET /feed?token=` from a browser's
   * EventSource. A valid token renews itself here (`?token=`), so a page can keep one fresh.
   */
  @Post('tokens')
  @Access('reader')
  @FeedTokenAccepted()
  @HttpCode(201)
  token() {
    return this.tokens.issue();
  }
}
