import { Module } from '@nestjs/common';
import { newsCommandHandlers } from './news.commands';
import { newsQueryHandlers } from './news.queries';
import { NewsPolling } from './news-polling.service';

/** News sources, items, watch terms and the inbox (commands, queries). */
@Module({
  providers: [...newsCommandHandlers, ...newsQueryHandlers],
})
export class NewsModule {}

/** Polling registered feeds: in the server's composition only. */
@Module({ providers: [NewsPolling] })
export class NewsPollingModule {}
