import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'kysely';
import { EventRegistry } from '../../../src/event-store/event-registry';
import { EventStore } from '../../../src/event-store/event-store';
import { negotiationEventDefinitions } from '../../../src/negotiation/domain/events';
import { readCheckpoint } from '../../../src/projection-runner/checkpoints';
import { rebuildProjections } from '../../../src/projection-runner/rebuild';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { projections } from '../../../src/app.module';

const MAIN = join(__dirname, '../../../dist/src/main.js');
const EVENTS = 20_000;

/** Every projection table, in a stable order: what "equal projections" means. */
async function snapshot(database: TestDatabase) {
  const db = database.connection.db;
  const tables = {
    facts: sql`select * from stance_facts order by event_id, version_position, party, issue, kind`,
    versions: sql`select * from stance_versions order by event_id, version_position`,
    parties: sql`select * from projected_parties order by negotiation_id, party`,
    issues: sql`select * from projected_issues order by negotiation_id, issue`,
    keys: sql`select * from stance_keys order by negotiation_id, party, issue`,
  };
  const out: Record<string, unknown[]> = {};
  for (const [name, query] of Object.entries(tables)) out[name] = (await query.execute(db)).rows;
  return out;
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('projector crash (kill -9 between batches)', () => {
  let database: TestDatabase;
  let store: EventStore;
  let registry: EventRegistry;
  let child: ChildProcess | undefined;

  const startServer = () =>
    spawn('node', [MAIN], {
      env: { ...process.env, DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'silent', PARLEY_PROJECTOR_BATCH: '20' },
      stdio: 'ignore',
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    registry = new EventRegistry(negotiationEventDefinitions);
    store = new EventStore(database.connection.db, registry);
    const day = (d: number) => new Date(Date.UTC(2025, 0, 1) + d * 3_600_000);
    await store.appendToStream('crash', [
      { type: 'NegotiationOpened', data: { title: 'Crash' }, occurredAt: day(0) },
      ...['a', 'b', 'c'].map((party) => ({ type: 'PartyAdded', data: { party, name: party }, occurredAt: day(0) })),
      ...['x', 'y'].map((issue) => ({ type: 'IssueDefined', data: { issue, title: issue }, occurredAt: day(0) })),
    ]);
    for (let start = 0; start < EVENTS; start += 1000) {
      await store.appendToStream(
        'crash',
        Array.from({ length: 1000 }, (_, i) => ({
          type: 'PositionStated',
          data: { party: ['a', 'b', 'c'][i % 3], issue: ['x', 'y'][i % 2], value: (start + i) % 101, salience: (i % 10) / 10 },
          occurredAt: day(start + i),
        })),
      );
    }
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await database.drop();
  });

  it('resumes after the crash and ends equal to a fresh rebuild', async () => {
    const head = await store.headPosition();
    child = startServer();
    await until(async () => (await readCheckpoint(database.connection.db)) > 0, 'the first batch');
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    const atCrash = await readCheckpoint(database.connection.db);
    expect(atCrash).toBeLessThan(head);

    child = startServer();
    await until(async () => (await readCheckpoint(database.connection.db)) === head, 'catching up');
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));

    const incremental = await snapshot(database);
    expect(incremental.facts).toHaveLength(EVENTS);
    await rebuildProjections(database.connection, new EventStore(database.connection.db, registry), projections);
    expect(await snapshot(database)).toEqual(incremental);
  });
});
