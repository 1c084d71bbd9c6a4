import { randomUUID } from 'node:crypto';
import type { HttpApplication } from '../../src/http/platform';
import { loadConfig } from '../../src/config/config';
import { createServer } from '../../src/server';
import { call, listenOnLoopback } from '../support/app';
import { setup } from '../support/builders';
import { eventually } from '../support/receiver';
import { openSse } from '../support/sse';
import { throwawayCluster } from '../support/throwaway-cluster';

/** PostgreSQL stopped under a running Parley, then started again: nothing lost, nothing twice. */
describe('database outage', () => {
  let cluster: Awaited<ReturnType<typeof throwawayCluster>>;
  let app: HttpApplication;
  let url: string;

  beforeAll(async () => {
    cluster = await throwawayCluster();
    app = await createServer(loadConfig({ DATABASE_URL: cluster.url, LOG_LEVEL: 'silent', PARLEY_RATE_LIMIT: '0' }));
    url = await listenOnLoopback(app);
  });
  afterAll(async () => {
    await app?.close();
    cluster?.destroy();
  });

  it('answers 503 with Retry-After while down, recovers by itself, and keeps every accepted write once', async () => {
    expect((await call(url, 'POST', '/negotiations/outage/events', { json: { events: setup() } })).status).toBe(201);
    const feed = await openSse(`${url}/feed?negotiation=outage&after=0`);
    const accepted: string[] = [];
    const unavailable: { retryAfter: string | null; status: number }[] = [];
    let writing = true;
    // A client that retries each event with the same id until it is accepted.
    const writer = (async () => {
      let i = 0;
      while (writing) {
        const event = { id: randomUUID(), type: 'PositionStated', occurredAt: '2025-04-20T00:00:00Z', data: { party: 'us', issue: 'crimea', value: i++ % 101 } };
        for (;;) {
          const answer = await call(url, 'POST', '/negotiations/outage/events', { json: { events: [event] } }).catch(() => ({ status: 0, headers: new Headers() }));
          if (answer.status === 201 || answer.status === 200) {
            accepted.push(event.id);
            break;
          }
          unavailable.push({ status: answer.status, retryAfter: answer.headers.get('retry-after') });
          await new Promise((r) => setTimeout(r, 100));
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();

    await eventually(async () => accepted.length >= 10, 'writes before the outage');
    cluster.stop();
    await eventually(async () => unavailable.length >= 3, 'refused writes during the outage');
    const health = await call(url, 'GET', '/health');
    expect(health.status).toBe(503);
    // The probes: the process lives (no restart wanted), it is not ready (no traffic wanted).
    expect((await call(url, 'GET', '/livez')).status).toBe(200);
    const ready = await call(url, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('database_unavailable');
    expect(ready.headers.get('retry-after')).toBe('1');
    cluster.start();
    const before = accepted.length;
    await eventually(async () => accepted.length >= before + 10, 'writes after the restart', 30_000);
    writing = false;
    await writer;

    expect(unavailable.every((u) => u.status === 503 && u.retryAfter !== null)).toBe(true);
    expect((await call(url, 'GET', '/health')).status).toBe(200);
    expect((await call(url, 'GET', '/readyz')).body).toMatchObject({ status: 'ready', database: { writable: true } });
    const log = (await call(url, 'GET', '/negotiations/outage/events?limit=1000')).body.events as { id: string; globalPosition: number }[];
    const ids = log.slice(6).map((e) => e.id);
    expect(ids).toEqual(accepted);
    // The projector caught up by itself: the last accepted write is the stance now.
    const stances = (await call(url, 'GET', '/negotiations/outage/stances')).body.stances;
    expect(stances[0].eventId).toBe(accepted[accepted.length - 1]);
    // The feed kept its client and delivered everything, in order, once.
    await feed.waitFor(log.length, 20_000);
    feed.close();
    expect(feed.messages.filter((m) => m.id).map((m) => Number(m.id))).toEqual(log.map((e) => e.globalPosition));
  });

  it('cuts an export off when the database goes away mid-stream, and restore refuses what arrived', async () => {
    const lines = Array.from({ length: 40_000 }, (_, i) =>
      JSON.stringify({ type: 'PositionStated', occurredAt: '2025-04-21T00:00:00Z', data: { party: 'us', issue: 'crimea', value: i % 101, summary: `n${i}` } }),
    );
    expect((await call(url, 'POST', '/negotiations/export-cut/events', { json: { events: setup() } })).status).toBe(201);
    expect((await call(url, 'POST', '/negotiations/export-cut/events:import', { body: lines.join('\n'), contentType: 'application/x-ndjson' })).status).toBe(201);
    const response = await fetch(`${url}/admin/export`);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    let received = Buffer.from(first.value!);
    // More than the socket buffers hold (~14 MB), so the server is held back by the unread
    // socket, between pages; the database goes away under it.
    cluster.stop();
    let failed = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received = Buffer.concat([received, Buffer.from(value)]);
      }
    } catch {
      failed = true;
    }
    cluster.start();
    expect(failed).toBe(true);
    const partial = received.toString('utf8').replace(/\n[^\n]*$/, '\n');
    expect(partial.length).toBeGreaterThan(0);
    await eventually(async () => (await call(url, 'GET', '/health')).status === 200, 'the database back');
    const fresh = await throwawayCluster();
    const other = await createServer(loadConfig({ DATABASE_URL: fresh.url, LOG_LEVEL: 'silent' }));
    try {
      const otherUrl = await listenOnLoopback(other);
      const restored = await call(otherUrl, 'POST', '/admin/restore', { body: partial, contentType: 'application/x-ndjson' });
      expect(restored.status).toBe(409);
      expect(restored.body.message).toContain('does not end with an export trailer');
      expect((await call(otherUrl, 'GET', '/events')).body.events).toEqual([]);
    } finally {
      await other.close();
      fresh.destroy();
    }
  });
});
