import type { Transaction } from 'kysely';
import type { Database } from '../database/schema';
import type { StoredEvent } from '../event-store/types';

/**
 * Work that follows the projector's batches, handed to the runner as data
 * (`ProjectionsModule.forRoot({ projections, consumers })`), never registered by a setter.
 */
export interface BatchConsumer {
  /** Inside each batch's transaction, after the projections: commits with them or not at all. */
  inBatch?(trx: Transaction<Database>, checkpoint: number): Promise<void>;
  /** After each committed batch, with the events it projected. */
  projected?(events: StoredEvent[]): void;
}

export const BATCH_CONSUMERS = Symbol('BATCH_CONSUMERS');
