import { Module } from '@nestjs/common';
import { EventStore } from '../event-store/event-store';
import { commandHandlers } from './commands';
import { ExampleDataset } from './example-dataset';
import { NegotiationWriter } from './negotiation-writer';

@Module({
  providers: [
    { provide: NegotiationWriter, inject: [EventStore], useFactory: (store: EventStore) => new NegotiationWriter(store) },
    ...commandHandlers,
    ExampleDataset,
  ],
  exports: [NegotiationWriter],
})
export class NegotiationModule {}
