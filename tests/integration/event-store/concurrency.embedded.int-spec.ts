import { createEmbeddedTestDatabase } from '../../support/embedded';
import { concurrencyBehaviour } from './concurrency.behaviour';

describe('EventStore under concurrent writers, on the embedded PostgreSQL', () => {
  concurrencyBehaviour(() => createEmbeddedTestDatabase());
});
