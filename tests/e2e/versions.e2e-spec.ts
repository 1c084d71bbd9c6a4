import { readFileSync } from 'node:fs';
import { exampleDatasetPath } from '../../src/config/paths';
import { call, startEmbeddedTestApp, startTestApp } from '../support/app';

/** Citable versions: the same events give the same hash on any installation (issue 17). */
describe('GET /negotiations/{nid}/versions/{n}', () => {
  it('gives the same SHA-256 on two installations fed the same NDJSON, and another for another version', async () => {
    const [postgres, embedded] = await Promise.all([startTestApp(), startEmbeddedTestApp()]);
    try {
      const body = readFileSync(exampleDatasetPath(), 'utf8');
      for (const app of [postgres, embedded]) {
        expect((await call(app.url, 'POST', '/negotiations/ukraine-2025/events:import', { body, contentType: 'application/x-ndjson' })).status).toBe(201);
      }
      const a = await call(postgres.url, 'GET', '/negotiations/ukraine-2025/versions/20');
      const b = await call(embedded.url, 'GET', '/negotiations/ukraine-2025/versions/20');
      expect(a.status).toBe(200);
      expect(a.body).toEqual({ version: 20, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), citation: expect.stringContaining(a.body.sha256) });
      expect(b.body.sha256).toBe(a.body.sha256);
      const earlier = await call(postgres.url, 'GET', '/negotiations/ukraine-2025/versions/19');
      expect(earlier.body.sha256).not.toBe(a.body.sha256);
      expect((await call(postgres.url, 'GET', '/negotiations/ukraine-2025/versions/21')).status).toBe(404);
      const zero = await call(postgres.url, 'GET', '/negotiations/ukraine-2025/versions/0');
      expect(zero.status).toBe(400);
      expect(zero.body.issues[0].path).toEqual(['n']);
    } finally {
      await Promise.all([postgres.close(), embedded.close()]);
    }
  });

  it('reproduces the loaded example\'s hash from the published file, and every as-of answer echoes the version to cite', async () => {
    // The example as `npm start` loads it: its events cite the news item they were coded from (source.itemId).
    const app = await startTestApp({ PARLEY_LOAD_EXAMPLE: 'always' });
    try {
      const loaded = await call(app.url, 'GET', '/negotiations/ukraine-2025/versions/20');
      const cites = (await call(app.url, 'GET', '/negotiations/ukraine-2025/events?limit=100')).body.events.filter((e: { source: { itemId?: string } | null }) => e.source?.itemId);
      expect(cites.length).toBeGreaterThan(0);
      // Anyone holding the published file, under any name, gets the cited hash.
      const body = readFileSync(exampleDatasetPath(), 'utf8');
      expect((await call(app.url, 'POST', '/negotiations/replication/events:import', { body, contentType: 'application/x-ndjson' })).status).toBe(201);
      const imported = await call(app.url, 'GET', '/negotiations/replication/versions/20');
      expect(imported.body.sha256).toBe(loaded.body.sha256);

      const routes = ['', '/stances?at=2025-04-30', '/gaps?at=2025-04-30', '/gaps/series?between=us,ukraine&from=2025-04-15&to=2025-04-30', '/panel?from=2025-04-20&to=2025-04-30&step=P5D', '/zones?at=2025-04-30', '/outcomes?at=2025-04-30', '/concessions?party=us&toward=ukraine&from=2025-04-18&to=2025-04-30', '/parties/us/history', '/outcomes/recorded', '/provenance?party=us&issue=crimea&at=2025-04-30'];
      for (const route of routes) {
        const join = route.includes('?') ? '&' : '?';
        const now = await call(app.url, 'GET', `/negotiations/ukraine-2025${route}`);
        expect([route, now.body.version, now.body.publicAt]).toEqual([route, 20, null]);
        const cited = await call(app.url, 'GET', `/negotiations/ukraine-2025${route}${join}version=17`);
        expect([route, cited.body.version]).toEqual([route, 17]);
        // Known before anything was recorded: version 0, whatever version was asked for.
        const before = await call(app.url, 'GET', `/negotiations/ukraine-2025${route}${join}knownAt=2020-01-01&version=17`);
        // Routes naming parties refuse them as unknown then (400); the others answer at version 0.
        expect([route, before.status, before.body.version]).toEqual(before.status === 400 ? [route, 400, undefined] : [route, 200, 0]);
      }
      const published = await call(app.url, 'GET', '/negotiations/ukraine-2025/stances?at=2025-04-30&publicAt=2025-04-30');
      expect(published.body.publicAt).toBe('2025-04-30T23:59:59.999Z');
    } finally {
      await app.close();
    }
  });

  it('answers as-of reads at a cited version as if only events 1..n had been imported', async () => {
    const app = await startTestApp();
    try {
      const lines = readFileSync(exampleDatasetPath(), 'utf8').trim().split('\n');
      await call(app.url, 'POST', '/negotiations/whole/events:import', { body: lines.join('\n'), contentType: 'application/x-ndjson' });
      await call(app.url, 'POST', '/negotiations/first17/events:import', { body: lines.slice(0, 17).join('\n'), contentType: 'application/x-ndjson' });
      const routes = [
        '?knownAt=2099-01-01',
        '/stances?at=2025-04-30',
        '/gaps?at=2025-04-30&between=us,ukraine',
        '/gaps/series?between=us,ukraine&from=2025-04-15&to=2025-04-30',
        '/panel?from=2025-04-15&to=2025-04-30',
        '/zones?at=2025-04-30',
        '/outcomes?at=2025-04-30&model=weighted-median',
        '/concessions?party=us&toward=ukraine&from=2025-04-18&to=2025-04-30',
        '/parties/us/history?issue=crimea',
      ];
      // What differs between two streams with the same events: ids, positions, recorded times.
      const strip = (answer: unknown) =>
        JSON.parse(JSON.stringify(answer, (key, value) => (['id', 'eventId', 'eventPosition', 'recordedAt', 'knownAt'].includes(key) && key !== '' ? undefined : value)));
      for (const route of routes) {
        const cited = await call(app.url, 'GET', `/negotiations/whole${route}&version=17`);
        const cut = await call(app.url, 'GET', `/negotiations/first17${route}`);
        expect([route, cited.status]).toEqual([route, 200]);
        expect(strip(cited.body)).toEqual(strip(cut.body));
      }
      // And the cited version is not the latest: the later events do change the gap.
      const latest = (await call(app.url, 'GET', '/negotiations/whole/gaps?at=2025-04-30&between=us,ukraine')).body.pairs[0].overall;
      const atSeventeen = (await call(app.url, 'GET', '/negotiations/whole/gaps?at=2025-04-30&between=us,ukraine&version=17')).body.pairs[0].overall;
      expect(atSeventeen).not.toBe(latest);
      expect((await call(app.url, 'GET', '/negotiations/whole/stances?version=21')).status).toBe(404);
      expect((await call(app.url, 'GET', '/negotiations/whole/stances?version=0')).body.issues[0].path).toEqual(['version']);
    } finally {
      await app.close();
    }
  });
});
