import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { call, startTestApp, type TestApp } from '../support/app';
import { setup, stated } from '../support/builders';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { openSse } from '../support/sse';

const run = promisify(execFile);
const CLI = join(__dirname, '../../dist/src/cli.js');

const ALICE = 'alice-key-0001';
const BOB = 'bob-key-00002';
const PLAIN = 'plain-writer-key';
const ADMIN = 'admin-key-00003';
const KEYS = `writer:alice:${ALICE},writer:bob:${BOB},writer:${PLAIN},admin:${ADMIN}`;

/**
 * People, not just keys (contract v4): a key may name its holder, and every event records,
 * server-side, who coded it. Today's `role:key` keeps working, unnamed.
 */
describe('who coded what (codedBy)', () => {
  let database: TestDatabase;
  let app: TestApp;
  const events = async (nid: string) => (await call(app.url, 'GET', `/negotiations/${nid}/events`, { key: ADMIN })).body.events;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startTestApp({ PARLEY_API_KEYS: KEYS }, database);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it("records the writing key's holder on every event, null for an unnamed key, never what the body says", async () => {
    expect((await call(app.url, 'POST', '/negotiations/coded/events', { key: PLAIN, json: { events: setup() } })).status).toBe(201);
    expect((await call(app.url, 'POST', '/negotiations/coded/events', { key: ALICE, json: { events: [stated('us', 'crimea', 30, '2025-04-20')] } })).status).toBe(201);
    const forged = await call(app.url, 'POST', '/negotiations/coded/events', { key: BOB, json: { events: [{ ...stated('us', 'crimea', 40, '2025-04-21'), codedBy: 'alice', metadata: { codedBy: 'alice' } }] } });
    // Whether the unknown fields are refused or ignored, the body never names the coder.
    if (forged.status === 201) expect((await events('coded')).at(-1).codedBy).toBe('bob');
    else expect(forged.status).toBe(400);
    const ndjson = [stated('russia', 'crimea', 100, '2025-04-22')].map((e) => JSON.stringify(e)).join('\n');
    expect((await call(app.url, 'POST', '/negotiations/coded/events:import', { key: BOB, body: ndjson, contentType: 'application/x-ndjson' })).status).toBe(201);

    const log = await events('coded');
    expect(log.slice(0, 6).every((e: { codedBy: unknown; reviewedBy: unknown }) => e.codedBy === null && e.reviewedBy === null)).toBe(true);
    expect(log[6]).toMatchObject({ codedBy: 'alice', reviewedBy: null });
    expect(log.at(-1)).toMatchObject({ codedBy: 'bob', reviewedBy: null, data: { party: 'russia' } });
  });

  it('shows codedBy in CSV and in the feed', async () => {
    const csv = await fetch(`${app.url}/negotiations/coded/events?format=csv`, { headers: { authorization: `Bearer ${ADMIN}` } });
    const rows: Record<string, string>[] = parse(await csv.text(), { columns: true });
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['codedBy', 'reviewedBy']));
    expect(rows.filter((r) => r.codedBy === 'alice')).toHaveLength(1);
    const token = (await call(app.url, 'POST', '/feed/tokens', { key: ADMIN })).body.token;
    const feed = await openSse(`${app.url}/feed?negotiation=coded&after=6&token=${token}`);
    try {
      const [first] = await feed.waitFor(1);
      expect(JSON.parse(first!.data).data).toMatchObject({ codedBy: 'alice' });
    } finally {
      feed.close();
    }
  });

  it("keeps what a person coded when their key is revoked (removed from PARLEY_API_KEYS)", async () => {
    const without = await startTestApp({ PARLEY_API_KEYS: `writer:bob:${BOB},admin:${ADMIN}` }, database);
    try {
      expect((await call(without.url, 'POST', '/negotiations/coded/events', { key: ALICE, json: { events: [stated('us', 'crimea', 50, '2025-04-23')] } })).status).toBe(401);
      const log = (await call(without.url, 'GET', '/negotiations/coded/events', { key: ADMIN })).body.events;
      expect(log.filter((e: { codedBy: string | null }) => e.codedBy === 'alice')).toHaveLength(1);
    } finally {
      await without.close();
    }
  });

  it('the CLI records --as on a local import, and refuses a name that is not one (exit 1, nothing written)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-people-'));
    const file = join(dir, 'coded.ndjson');
    writeFileSync(file, [...setup(), stated('ukraine', 'crimea', 0, '2025-04-20')].map((e) => JSON.stringify(e)).join('\n'));
    const env = { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' };
    const bad = await run('node', [CLI, 'import', file, '--negotiation', 'by-cli', '--as', '1carol'], { env }).catch((error: { code: number; stderr: string }) => error);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringMatching(/--as: a name is a letter/) });
    expect((await call(app.url, 'GET', '/negotiations/by-cli/events', { key: ADMIN })).status).toBe(404);
    await run('node', [CLI, 'import', file, '--negotiation', 'by-cli', '--as', 'carol'], { env });
    const log = (await call(app.url, 'GET', '/negotiations/by-cli/events', { key: ADMIN })).body.events;
    expect(log.map((e: { codedBy: string }) => e.codedBy)).toEqual(Array(7).fill('carol'));
  });
});
