import type { Pool, PoolClient } from 'pg';
import { quoteIdentifier } from './identifiers';

/** A notification handler; payload as sent by pg_notify. */
export type NotificationHandler = (payload: string) => void;

/**
 * Every LISTEN of a process on one connection of its own, fanned out in memory: the projector,
 * the feed and webhook delivery each listen, but hold one pool connection between them, not
 * one each. The connection comes back by itself: if the server goes away it is replaced
 * (retrying every second) and every channel listened to again. Notifications sent while it was
 * down are lost, which is why every loop also polls.
 */
export class Notifications {
  private readonly handlers = new Map<string, Set<NotificationHandler>>();
  private client: PoolClient | undefined;
  private connecting: Promise<PoolClient> | undefined;
  private retrying = false;

  constructor(private readonly pool: Pool) {}

  /** Listens on `channel`; the function returned stops this handler (and the LISTEN, with the last). */
  async listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>> {
    const set = this.handlers.get(channel) ?? new Set();
    const first = set.size === 0;
    set.add(handler);
    this.handlers.set(channel, set);
    try {
      const client = await this.connected();
      if (first) await client.query(`LISTEN ${quoteIdentifier(channel)}`);
    } catch (error) {
      set.delete(handler);
      throw error;
    }
    return () => this.unlisten(channel, handler);
  }

  private async unlisten(channel: string, handler: NotificationHandler): Promise<void> {
    const set = this.handlers.get(channel);
    if (!set?.delete(handler) || set.size > 0) return;
    this.handlers.delete(channel);
    const client = this.client;
    if (!client) return;
    if (this.handlers.size === 0) {
      // The last channel: the connection goes back to the pool (a pool that ends waits for it).
      this.client = undefined;
      this.release(client);
      return;
    }
    await client.query(`UNLISTEN ${quoteIdentifier(channel)}`).catch(() => undefined);
  }

  private readonly onNotification = (message: { channel: string; payload?: string }) => {
    for (const handler of this.handlers.get(message.channel) ?? []) handler(message.payload ?? '');
  };

  /** The listening connection, connected (and every channel listened to) on first use. */
  private connected(): Promise<PoolClient> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<PoolClient> {
    const client = await this.pool.connect();
    client.on('notification', this.onNotification);
    client.on('error', () => {
      // Only the connection we hold is ours to replace.
      if (this.client !== client) return;
      this.client = undefined;
      this.release(client, true);
      if (this.handlers.size > 0) void this.retry();
    });
    try {
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${quoteIdentifier(channel)}`);
    } catch (error) {
      this.release(client, true);
      throw error;
    }
    // Every handler stopped while it connected: nobody would release it.
    if (this.handlers.size === 0) {
      this.release(client);
      throw new Error('no channel to listen on');
    }
    this.client = client;
    return client;
  }

  /** Every client taken from the pool is released exactly once, whatever fails when. */
  private release(client: PoolClient, broken = false): void {
    client.off('notification', this.onNotification);
    try {
      client.release(broken ? true : undefined);
    } catch {
      // released already
    }
  }

  private async retry(): Promise<void> {
    if (this.retrying) return;
    this.retrying = true;
    while (this.handlers.size > 0 && !this.client) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await this.connected().catch(() => undefined);
    }
    this.retrying = false;
  }
}
