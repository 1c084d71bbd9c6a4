import { call, startTestApp, type TestApp } from '../support/app';
import { setup, stated } from '../support/builders';
import { connectPostgres } from '../../src/database/connection';
import { migrateToLatest } from '../../src/database/migrate';
import { standbyOf, throwawayCluster, type Cluster } from '../support/throwaway-cluster';
import type { TestDatabase } from '../support/database';

/**
 * A primary and a streaming hot standby built here (initdb, pg_basebackup -R), the standby
 * holding every transaction back 1.5 s (recovery_min_apply_delay): reads that may go to the
 * replica must wait for what they need, or be answered by the primary.
 */
describe('reads from a PostgreSQL hot standby', () => {
  let primary: Cluster;
  let standby: Cluster;
  let app: TestApp;
  let shared: TestDatabase;

  beforeAll(async () => {
    primary = await throwawayCluster();
    const migrated = connectPostgres(primary.url, 2);
    await migrateToLatest(migrated.db);
    await migrated.close();
    standby = await standbyOf(primary, 1500);
    // The cluster is the test's own: nothing to drop but the cluster itself (afterAll).
    shared = { name: 'parley', url: primary.url, connection: connectPostgres(primary.url, 2), drop: async () => undefined };
    app = await startTestApp({ DATABASE_REPLICA_URLS: standby.url, PARLEY_REPLICA_MAX_WAIT_MS: '10000' }, shared);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await shared?.connection.close();
    standby?.destroy();
    primary?.destroy();
  });

  const crimea = async (headers: Record<string, string> = {}) => {
    const response = await fetch(`${app.url}/negotiations/replicated/stances`, { headers });
    const body = (await response.json()) as { stances: { party: string; issue: string; value: number }[] };
    return { servedBy: response.headers.get('parley-served-by'), us: body.stances.find((s) => s.party === 'us' && s.issue === 'crimea')?.value };
  };

  it('answers a read with Parley-Min-Position from the replica once it has applied that position', async () => {
    const write = await call(app.url, 'POST', '/negotiations/replicated/events', { json: { events: [...setup(), stated('us', 'crimea', 40, '2025-04-20')] } });
    expect(write.status).toBe(201);
    const position = write.headers.get('parley-position')!;
    // The standby applies this write 1.5 s late: a replica answer that includes it waited for it.
    const read = await crimea({ 'parley-min-position': position });
    expect(read).toEqual({ servedBy: 'replica-0', us: 40 });
  });

  it('sees a write answered before it without the header too (read your writes)', async () => {
    await call(app.url, 'POST', '/negotiations/replicated/events', { json: { events: [stated('us', 'crimea', 60, '2025-04-21')] } });
    const read = await crimea();
    expect(read.us).toBe(60);
    expect(['replica-0', 'primary']).toContain(read.servedBy);
  });

  it('pages the log from the replica too, once it has replayed what the read needs', async () => {
    const write = await call(app.url, 'POST', '/negotiations/replicated/events', { json: { events: [stated('us', 'crimea', 65, '2025-04-21')] } });
    const position = Number(write.headers.get('parley-position'));
    for (const path of ['/events?limit=1000', '/negotiations/replicated/events?limit=1000']) {
      const response = await fetch(`${app.url}${path}`, { headers: { 'parley-min-position': String(position) } });
      const body = (await response.json()) as { events: { globalPosition: number }[] };
      expect(response.headers.get('parley-served-by')).toBe('replica-0');
      expect(body.events.map((e) => e.globalPosition)).toContain(position);
    }
    // An export too: read from the replica, and it holds the write.
    const exported = await fetch(`${app.url}/admin/export`, { headers: { 'parley-min-position': String(position) } });
    expect(exported.headers.get('parley-served-by')).toBe('replica-0');
    const lines = (await exported.text()).trim().split('\n').map((l) => JSON.parse(l) as { globalPosition?: number; trailer?: { events: number } });
    expect(lines.some((l) => l.globalPosition === position)).toBe(true);
    expect(lines.at(-1)!.trailer!.events).toBe(lines.length - 1);
  });

  it('reports the replica in /metrics, and falls back to the primary when it is down, with no error', async () => {
    const metrics = (await call(app.url, 'GET', '/metrics')).body as string;
    expect(metrics).toMatch(/^parley_replica_up\{replica="replica-0"\} 1$/m);
    expect(metrics).toMatch(/^parley_replica_lag_events\{replica="replica-0"\} \d+$/m);
    standby.stop();
    await call(app.url, 'POST', '/negotiations/replicated/events', { json: { events: [stated('us', 'crimea', 70, '2025-04-22')] } });
    const read = await crimea();
    expect(read).toEqual({ servedBy: 'primary', us: 70 });
    expect((await call(app.url, 'GET', '/metrics')).body).toMatch(/^parley_replica_up\{replica="replica-0"\} 0$/m);
  });
});
