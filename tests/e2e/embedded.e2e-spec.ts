import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config';
import { createServer } from '../../src/server';
import { call, listenOnLoopback } from '../support/app';
import { EMBEDDED_TEMPLATE_ENV } from '../support/embedded';

/** What a newcomer's `npm start` does: no DATABASE_URL, an empty data dir. */
describe('the server on the embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-embedded-'));
  cpSync(process.env[EMBEDDED_TEMPLATE_ENV]!, dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function start() {
    const app = await createServer(loadConfig({ PARLEY_DATA_DIR: dir, LOG_LEVEL: 'silent' }));
    return { app, url: await listenOnLoopback(app) };
  }

  it('loads the April 2025 example on first start, once', async () => {
    const first = await start();
    try {
      expect((await call(first.url, 'GET', '/health')).body.info.database).toEqual({ kind: 'embedded', status: 'up', writable: true, host: null, port: null, timeline: 1 });
      const list = await call(first.url, 'GET', '/negotiations');
      expect(list.body.negotiations).toEqual([{ id: 'ukraine-2025', title: 'Ukraine peace framework, April 2025', version: 20 }]);
      const details = await call(first.url, 'GET', '/negotiations/ukraine-2025');
      expect(details.body.parties.map((p: { party: string }) => p.party)).toEqual(['us', 'ukraine', 'europe', 'russia']);
      expect(details.body.redLines).toEqual([
        expect.objectContaining({ party: 'russia', issue: 'foreign-forces', min: 100, max: null }),
      ]);
    } finally {
      await first.app.close();
    }
    const second = await start();
    try {
      const list = await call(second.url, 'GET', '/negotiations');
      expect(list.body.negotiations[0].version).toBe(20);
      const events = await call(second.url, 'GET', '/events?limit=1000');
      // The news item the example was coded from, then the 20 events, each citing it.
      const all = events.body.events as { negotiation: string; type: string; source: { publisher: string; itemId?: string } | null; data: { item?: string } }[];
      const [item, ...coded] = all;
      expect(item).toMatchObject({ negotiation: 'ukraine-2025.news', type: 'NewsItemReceived' });
      expect(coded).toHaveLength(20);
      expect(coded.every((e) => e.source!.publisher === 'Reuters' && e.source!.itemId === item!.data.item)).toBe(true);
    } finally {
      await second.app.close();
    }
  });
});
