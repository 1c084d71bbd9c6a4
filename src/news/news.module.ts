import { Module } from '@nestjs/common';
import { NegotiationModule } from '../negotiation/negotiation.module';
import { ReadingModule } from '../negotiation/reading/reading.module';
import { newsCommandHandlers } from './news.commands';
import { newsQueryHandlers } from './news.queries';
import { NewsService } from './news.service';

/** News sources, items, watch terms and the inbox; citing items from negotiation events. */
@Module({
  imports: [NegotiationModule, ReadingModule],
  providers: [NewsService, ...newsCommandHandlers, ...newsQueryHandlers],
  exports: [NewsService],
})
export class NewsModule {}
