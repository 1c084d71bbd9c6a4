import type { Kysely } from 'kysely';
import type { BulkInsert } from '../database/bulk-insert';
import type { Database } from '../database/schema';
import type { StoredEvent } from '../event-store/types';

/**
 * A read model the runner keeps up to date. The runner knows no context: it hands every
 * batch to every projection, inside one transaction with the checkpoint, and a rebuild fills
 * `tables` anew in a shadow schema. `project` must be a function of the events and what
 * earlier batches wrote (so a rebuild writes the same rows). Large tables are written through
 * `bulk`, into the tables `db` points at (a rebuild passes COPY on PostgreSQL).
 */
export interface Projection {
  name: string;
  tables: readonly string[];
  project(db: Kysely<Database>, events: StoredEvent[], bulk: BulkInsert): Promise<void>;
}

/** An event no projection could process, passed over and recorded in `projection_skipped`. */
export interface SkippedEvent {
  position: number;
  eventId: string;
  error: string;
}
