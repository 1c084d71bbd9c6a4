import { Module } from '@nestjs/common';
import { EventStore } from '../event-store/event-store';
import { commandHandlers } from './writing';
import { NegotiationWriter } from './writing/negotiation-writer';

@Module({
  providers: [
    { provide: NegotiationWriter, inject: [EventStore], useFactory: (store: EventStore) => new NegotiationWriter(store) },
    ...commandHandlers,
  ],
  exports: [NegotiationWriter],
})
export class NegotiationModule {}
