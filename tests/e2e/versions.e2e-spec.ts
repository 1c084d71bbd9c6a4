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
      await call(app.url, 'POST', '/negotiations/first14/events:import', { body: lines.slice(0, 14).join('\n'), contentType: 'application/x-ndjson' });
      for (const route of ['stances?at=2025-04-30', 'gaps?at=2025-04-30&between=us,ukraine', 'outcomes?at=2025-04-30']) {
        const cited = (await call(app.url, 'GET', `/negotiations/whole/${route}&version=14`)).body;
        const cut = (await call(app.url, 'GET', `/negotiations/first14/${route}`)).body;
        const strip = (answer: Record<string, unknown>) => JSON.parse(JSON.stringify({ ...answer, knownAt: undefined }).replace(/"eventId":"[^"]+"/g, ''));
        expect(strip(cited)).toEqual(strip(cut));
      }
      // And the cited version is not the latest: the later events do change the gap.
      const latest = (await call(app.url, 'GET', '/negotiations/whole/gaps?at=2025-04-30&between=us,ukraine')).body.pairs[0].overall;
      const atFourteen = (await call(app.url, 'GET', '/negotiations/whole/gaps?at=2025-04-30&between=us,ukraine&version=14')).body.pairs[0].overall;
      expect(atFourteen).not.toBe(latest);
      expect((await call(app.url, 'GET', '/negotiations/whole/stances?version=21')).status).toBe(404);
      expect((await call(app.url, 'GET', '/negotiations/whole/stances?version=0')).body.issues[0].path).toEqual(['version']);
    } finally {
      await app.close();
    }
  });
});
