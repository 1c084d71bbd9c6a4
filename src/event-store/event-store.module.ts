import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { DatabaseConnection } from '../database/connection';
import { DATABASE } from '../database/database.module';
import { EventRegistry, type EventDefinition } from './event-registry';
import { EventStore } from './event-store';

@Global()
@Module({})
export class EventStoreModule {
  /** `definitions`: every event type the store accepts, from the domains that own them. */
  static forRoot(definitions: EventDefinition[]): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        {
          provide: EventStore,
          inject: [DATABASE],
          useFactory: (connection: DatabaseConnection) =>
            new EventStore(connection.db, new EventRegistry(definitions)),
        },
      ],
      exports: [EventStore],
    };
  }
}
