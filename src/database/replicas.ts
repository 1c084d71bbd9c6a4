import { connectPostgres, type DatabaseConnection } from './connection';

export const REPLICAS = Symbol('REPLICAS');

/** How long a replica that failed is left out before it is tried again. */
const QUARANTINE_MS = 5000;

/**
 * PostgreSQL hot standbys (DATABASE_REPLICA_URLS) that as-of reads may go to, in turn. A replica
 * that errors is left out for a few seconds, and reads go to the primary meanwhile.
 */
export class Replicas {
  private next = 0;
  private readonly resting = new Map<number, number>();

  constructor(readonly connections: { url: string; connection: DatabaseConnection }[]) {}

  static connect(urls: string[], poolSize: number): Replicas {
    return new Replicas(urls.map((url) => ({ url, connection: connectPostgres(url, poolSize) })));
  }

  get size(): number {
    return this.connections.length;
  }

  /** The next replica to ask, or undefined when there is none (or all are resting). */
  pick(): { index: number; connection: DatabaseConnection } | undefined {
    for (let tried = 0; tried < this.connections.length; tried++) {
      const index = this.next++ % this.connections.length;
      if ((this.resting.get(index) ?? 0) > Date.now()) continue;
      return { index, connection: this.connections[index]!.connection };
    }
    return undefined;
  }

  rest(index: number): void {
    this.resting.set(index, Date.now() + QUARANTINE_MS);
  }

  async close(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.connection.close()));
  }
}
