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
