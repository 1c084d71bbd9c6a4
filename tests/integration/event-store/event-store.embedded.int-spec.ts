import { createEmbeddedTestDatabase } from '../../support/embedded';
import { eventStoreBehaviour } from './event-store.behaviour';

describe('EventStore on the embedded PostgreSQL (PGlite)', () => {
  eventStoreBehaviour(() => createEmbeddedTestDatabase());
});
