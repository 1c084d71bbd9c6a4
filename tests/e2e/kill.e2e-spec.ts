import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { exampleDatasetPath } from '../../src/config/paths';
import { EventRegistry } from '../../src/event-store/event-registry';
import { EventStore } from '../../src/event-store/event-store';
import { alertEventDefinitions } from '../../src/alerting/alert-rules';
import { negotiationEventDefinitions } from '../../src/negotiation/domain/events';
import { Projector } from '../../src/projection-runner/projector';
import { rebuildProjections } from '../../src/projection-runner/rebuild';
import { call } from '../support/app';
import { setup, stated } from '../support/builders';
import { startChild } from '../support/child-server';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../support/receiver';
import { projections } from '../../src/app.module';

const CLI = join(__dirname, '../../dist/src/cli.js');
const run = promisify(execFile);
const registry = new EventRegistry([...negotiationEventDefinitions, ...alertEventDefinitions]);

/** Runs the CLI and kills it with SIGKILL once `ready` says the work is under way. */
async function killMidway(args: string[], url: string, ready: () => Promise<boolean>): Promise<void> {
  const child = spawn('node', [CLI, ...args], { env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' }, stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  const deadline = Date.now() + 30_000;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error('the work never started');
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill('SIGKILL');
  await exited;
}

const busy = (db: TestDatabase, pattern: string) => async () => {
  const { rows } = await sql<{ n: string }>`
    select count(*) as n from pg_stat_activity where datname = current_database() and state <> 'idle' and query ilike ${pattern}`.execute(db.connection.db);
  return Number(rows[0]!.n) > 0;
};

describe('kill -9 during a webhook delivery', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('delivers the alert after a restart, with the same Idempotency-Key', async () => {
    // The receiver holds the first call open: the server dies while it waits.
    const calls: { key: string; answered: boolean }[] = [];
    const receiver = createServer((req, res) => {
      req.resume();
      const call = { key: String(req.headers['idempotency-key']), answered: calls.length > 0 };
      calls.push(call);
      if (call.answered) res.writeHead(200).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    const env = { DATABASE_URL: database.url, PARLEY_WEBHOOK_ALLOW: '127.0.0.1', PARLEY_WEBHOOK_LEASE_MS: '1500', PARLEY_WEBHOOK_TIMEOUT_MS: '60000' };
    try {
      const first = await startChild(env);
      await call(first.url, 'POST', '/negotiations/hooked/events', { json: { events: [...setup(), stated('us', 'crimea', 0, '2025-04-01')] } });
      await call(first.url, 'POST', '/negotiations/hooked/alert-rules', {
        json: { name: 'moves', rule: { kind: 'position_shift', party: 'us', issue: 'crimea', delta: 1 }, webhook: { url: hook } },
      });
      await call(first.url, 'POST', '/negotiations/hooked/events', { json: { events: [stated('us', 'crimea', 50, '2025-04-02')] } });
      await eventually(async () => calls.length === 1, 'the first delivery attempt');
      first.child.kill('SIGKILL');
      await first.exited;

      const second = await startChild(env);
      try {
        await eventually(async () => calls.some((c) => c.answered), 'the delivery after the restart');
        expect(new Set(calls.map((c) => c.key)).size).toBe(1);
        const deliveries = (await call(second.url, 'GET', '/negotiations/hooked/alerts/deliveries')).body.deliveries;
        await eventually(async () => (await call(second.url, 'GET', '/negotiations/hooked/alerts/deliveries')).body.deliveries[0].status === 'delivered', 'delivered');
        expect(deliveries).toHaveLength(1);
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      receiver.closeAllConnections();
      await new Promise((r) => receiver.close(r));
    }
  });
});

describe('kill -9 in the middle of the work', () => {
  let database: TestDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'parley-kill-'));

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('leaves an NDJSON import all or nothing, and re-running appends exactly what is missing', async () => {
    const header = readFileSync(exampleDatasetPath(), 'utf8').trim().split('\n').slice(0, 13);
    const lines = Array.from({ length: 30_000 }, (_, i) =>
      JSON.stringify({ type: 'PositionStated', occurredAt: '2025-04-20T00:00:00Z', data: { party: 'us', issue: 'crimea', value: i % 101, summary: `line ${i}` } }),
    );
    const file = join(dir, 'big.ndjson');
    writeFileSync(file, `${[...header, ...lines].join('\n')}\n`);
    const store = new EventStore(database.connection.db, registry);
    const appending = busy(database, '%parley_append%');
    await killMidway(['import', file, '--negotiation', 'big'], database.url, appending);
    // The server finishes a statement whose client has gone (in autocommit, it commits): all
    // or nothing is settled once no backend runs the append any more.
    await eventually(async () => !(await appending()), 'the killed append to finish on the server');
    const afterKill = await store.streamVersion('big');
    expect([0, 30_013]).toContain(afterKill);
    const rerun = await run('node', [CLI, 'import', file, '--negotiation', 'big'], { env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' } });
    expect(rerun.stdout).toContain(`${30_013 - afterKill} appended, ${afterKill} already present`);
    expect(await store.streamVersion('big')).toBe(30_013);
  });

  it('leaves the projections answering during and after a killed rebuild, and the next rebuild equal', async () => {
    const projector = new Projector(database.connection, new EventStore(database.connection.db, registry), projections, { batchSize: 5000 });
    while ((await projector.runBatch()) > 0);
    const snapshot = async () => (await sql`select * from stance_facts order by event_id, version_position, party, issue, kind`.execute(database.connection.db)).rows;
    const before = await snapshot();
    await killMidway(['rebuild', '--batch-size', '500'], database.url, busy(database, '%parley_rebuild%'));
    // The live tables were never touched by the killed rebuild.
    expect(await snapshot()).toEqual(before);
    await rebuildProjections(database.connection, new EventStore(database.connection.db, registry), projections);
    expect(await snapshot()).toEqual(before);
    const { rows } = await sql<{ n: string }>`select count(*) as n from information_schema.schemata where schema_name = 'parley_rebuild'`.execute(database.connection.db);
    expect(Number(rows[0]!.n)).toBe(0);
  });
});
