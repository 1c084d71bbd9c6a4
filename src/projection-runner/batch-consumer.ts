import type { Transaction } from 'kysely';
import type { Database } from '../database/schema';
import type { StoredEvent } from '../event-store/types';

/**
 * Work that follows the projector's batches, handed to the runner as data
 * (`ProjectionsModule.forRoot({ projections, consumers })`), never registered by a setter.
 */
/**
 * A projector batch as its consumers see it: every event it read, in log order (those projected
 * ahead included: consumers follow the log), and the checkpoint it moves to. Each event says
 * whether it ends its append, so a consumer never guesses where an append ends.
 */
export interface ProjectedBatch {
  events: StoredEvent[];
  checkpoint: number;
}

export interface BatchConsumer {
  /** Inside each batch's transaction, after the projections: commits with them or not at all. */
  inBatch?(trx: Transaction<Database>, batch: ProjectedBatch): Promise<void>;
  /** After each committed batch, with the events it projected. */
  projected?(events: StoredEvent[]): void;
}

export const BATCH_CONSUMERS = Symbol('BATCH_CONSUMERS');
