import { Global, Module, type DynamicModule, type Type } from '@nestjs/common';
import { EventStore } from '../event-store/event-store';
import { commandHandlers } from './writing';
import { NegotiationWriter, type CitationSource } from './writing/negotiation-writer';

/** Writing negotiations: the writer and its commands, for every context that appends to one. */
@Global()
@Module({})
export class NegotiationModule {
  /** `citations`: who says what a cited news item is (the news context, named by app.module). */
  static forRoot({ citations }: { citations: Type<CitationSource> }): DynamicModule {
    return {
      module: NegotiationModule,
      providers: [
        citations,
        {
          provide: NegotiationWriter,
          inject: [EventStore, citations],
          useFactory: (store: EventStore, source: CitationSource) => new NegotiationWriter(store, (ids) => source.lookup(ids)),
        },
        ...commandHandlers,
      ],
      exports: [NegotiationWriter],
    };
  }
}
