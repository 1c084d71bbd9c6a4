import { Module } from '@nestjs/common';
import { NegotiationModule } from '../negotiation/negotiation.module';
import { newsCommandHandlers } from './news.commands';
import { newsQueryHandlers } from './news.queries';
import { NewsService } from './news.service';
import { NewsReadModel } from './news-read-model';

/** News sources, items, watch terms and the inbox; citing items from negotiation events. */
@Module({
  imports: [NegotiationModule],
  providers: [NewsService, NewsReadModel, ...newsCommandHandlers, ...newsQueryHandlers],
  exports: [NewsService],
})
export class NewsModule {}
