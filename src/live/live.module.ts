import { Module } from '@nestjs/common';
import { HttpModule } from '../http/http.module';
import { FeedController } from './feed.controller';
import { FeedHub } from './feed.hub';

@Module({
  imports: [HttpModule],
  controllers: [FeedController],
  providers: [FeedHub],
  exports: [FeedHub],
})
export class LiveModule {}
