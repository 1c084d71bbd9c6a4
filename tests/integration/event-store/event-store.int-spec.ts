import { createTestDatabase } from '../../support/database';
import { eventStoreBehaviour } from './event-store.behaviour';

describe('EventStore on PostgreSQL', () => {
  eventStoreBehaviour(() => createTestDatabase());
});
