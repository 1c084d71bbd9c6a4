import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a read asked for, beyond its parameters: `minPosition` (from `Parley-Min-Position` or
 * `?minPosition=`) means "answer once the projection holds every event up to n", the way to
 * read your own writes across instances. Without it a read waits for the log's head at the
 * time it arrived. Kept per request so every as-of query honours it without threading it
 * through each handler.
 */
export interface ReadConsistency {
  minPosition?: number;
  /** Told which database answered (`primary`, `replica-0`, …), for the Parley-Served-By header. */
  servedBy?: (by: string) => void;
}

const storage = new AsyncLocalStorage<ReadConsistency>();

export function withReadConsistency<T>(consistency: ReadConsistency, run: () => T): T {
  return storage.run(consistency, run);
}

export function readConsistency(): ReadConsistency {
  return storage.getStore() ?? {};
}
