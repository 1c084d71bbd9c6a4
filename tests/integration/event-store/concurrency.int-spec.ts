import { createTestDatabase } from '../../support/database';
import { concurrencyBehaviour } from './concurrency.behaviour';

describe('EventStore under concurrent writers, on PostgreSQL', () => {
  concurrencyBehaviour(() => createTestDatabase(24));
});
