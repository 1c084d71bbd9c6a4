import { Module } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config';
import { FeedTokens } from './feed-tokens';
import { FeedHub } from './feed.hub';

/** The live feed: one tail reader per process, its clients, and the tokens browsers use. */
@Module({
  providers: [FeedHub, { provide: FeedTokens, inject: [CONFIG], useFactory: (config: Config) => new FeedTokens(config.PARLEY_API_KEYS, config.PARLEY_FEED_TOKEN_TTL_MS) }],
  exports: [FeedHub, FeedTokens],
})
export class FeedModule {}
