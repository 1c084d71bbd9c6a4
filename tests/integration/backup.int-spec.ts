import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exampleDatasetPath } from '../../src/config/paths';
import { EventRegistry } from '../../src/event-store/event-registry';
import { EventStore } from '../../src/event-store/event-store';
import { alertEventDefinitions } from '../../src/alerting/alert-rules';
import { negotiationEventDefinitions } from '../../src/negotiation/domain/events';
import { parseNdjson } from '../../src/negotiation/writing/ndjson';
import { NegotiationWriter } from '../../src/negotiation/writing/negotiation-writer';
import { pairGap } from '../../src/negotiation/analysis/gaps';
import { Projector } from '../../src/projection-runner/projector';
import { issuesKnown, stancesAt } from '../../src/negotiation/stances/stance.repository';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { projections } from '../../src/app.module';

const run = promisify(execFile);
const CLI = join(__dirname, '../../dist/src/cli.js');
const registry = new EventRegistry([...negotiationEventDefinitions, ...alertEventDefinitions]);

async function project(database: TestDatabase) {
  const projector = new Projector(database.connection, new EventStore(database.connection.db, registry), projections, { batchSize: 500 });
  while ((await projector.runBatch()) > 0);
}

describe('parley export and restore', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'parley-backup-'));
  const cli = (db: TestDatabase, ...args: string[]) => run('node', [CLI, ...args], { env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'silent' } });

  beforeAll(async () => {
    [source, target] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const store = new EventStore(source.connection.db, registry);
    const writer = new NegotiationWriter(store);
    const lines = await parseNdjson(readFileSync(exampleDatasetPath(), 'utf8'), 'ukraine-2025');
    await writer.append('ukraine-2025', lines.map((l) => l.event));
    // Later news in several appends, so recordedAt varies along the log.
    for (let i = 0; i < 12; i++) {
      await writer.append('ukraine-2025', [
        { type: 'PositionStated', occurredAt: new Date(Date.UTC(2025, 3, 20 + i)), data: { party: ['us', 'russia', 'ukraine'][i % 3]!, issue: 'crimea', value: (i * 17) % 101, salience: (i % 4) / 4 } },
      ]);
    }
    await project(source);
  });
  afterAll(async () => {
    await source.drop();
    await target.drop();
  });

  it('restores into an empty database with every position and recordedAt, answering as-of questions alike', async () => {
    const file = join(dir, 'log.ndjson');
    await cli(source, 'export', '--out', file);
    const [trailer, ...exported] = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).reverse();
    expect(exported).toHaveLength(32);
    expect(trailer).toEqual({ trailer: { events: 32, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    exported.reverse();
    expect(exported[0]).toEqual(expect.objectContaining({ globalPosition: 1, recordedAt: expect.any(String), metadata: expect.any(Object) }));

    expect((await cli(target, 'restore', file)).stdout).toBe('restored 32 events\n');
    await project(target);

    const original = await new EventStore(source.connection.db, registry).readAll({ limit: 1000 });
    const restored = await new EventStore(target.connection.db, registry).readAll({ limit: 1000 });
    expect(restored).toEqual(original);

    const times = original.map((e) => e.recordedAt.getTime());
    for (let i = 0; i < 100; i++) {
      const at = new Date(Date.UTC(2025, 3, 10) + ((i * 7919) % 40) * 43_200_000);
      const knownAt = new Date(times[(i * 31) % times.length]! + (i % 3) - 1);
      const ask = async (db: TestDatabase) => {
        const stances = await stancesAt(db.connection.db, 'ukraine-2025', { at, knownAt });
        const issues = await issuesKnown(db.connection.db, 'ukraine-2025', { knownAt });
        return { stances, gap: pairGap('us', 'ukraine', stances, issues) };
      };
      expect(await ask(target)).toEqual(await ask(source));
    }
  });

  it('refuses a non-empty database, and a broken file writes nothing', async () => {
    const file = join(dir, 'log.ndjson');
    await expect(cli(target, 'restore', file)).rejects.toMatchObject({ stderr: expect.stringContaining('empty database') });
    const fresh = await createTestDatabase();
    try {
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      lines.splice(4, 1); // a gap in positions
      writeFileSync(join(dir, 'gap.ndjson'), `${lines.join('\n')}\n`);
      await expect(cli(fresh, 'restore', join(dir, 'gap.ndjson'))).rejects.toMatchObject({ stderr: expect.stringContaining('line 5: position 6, expected 5') });
      expect(await new EventStore(fresh.connection.db, registry).headPosition()).toBe(0);
    } finally {
      await fresh.drop();
    }
  });
});
